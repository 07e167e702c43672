using Google.Protobuf.Reflection;
using Grpc.Core;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.AccessTests;

/// <summary>
/// The embedded host (Objectives, Scoring and Reporting in one process, the 2023 annex seeded) as its own process, trusting
/// an in-test issuer; its Reporting reads Objectives and Scoring with the host's client-credentials token (client
/// "embedded", scopes perf.read perf.admin), exactly as the deployed hosts do.
/// </summary>
public sealed class EmbeddedPlatform : IAsyncLifetime
{
    public const string ClientId = "embedded";
    private const string ClientSecret = "embedded-test-secret";
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "perf-access-tests", Guid.NewGuid().ToString("N"));

    public TestTokenIssuer Issuer { get; private set; } = null!;
    public HostProcess Host { get; private set; } = null!;
    public CallInvoker Invoker => Host.Channel.CreateCallInvoker();

    // People, one per role, and machine clients (docs/security.md).
    public string Admin => Issuer.Person("Amministratore Prova", ["admin"]);
    public string Control => Issuer.Person("Controllo Prova", ["strategic-control"]);
    public string Oiv => Issuer.Person("OIV Prova", ["oiv"]);
    public string Viewer => Issuer.Person("Lettore Prova", ["viewer"]);
    public string SectorManager => Issuer.Person("Dirigente Otto", ["sector-manager"], ["Settore 08"]);
    public string ReadMachine => Issuer.Machine("city-system-sample", "perf.read");

    public async Task InitializeAsync()
    {
        Issuer = await TestTokenIssuer.StartAsync();
        Issuer.AddClient(ClientId, ClientSecret, "perf.read", "perf.admin");
        var settings = Issuer.HostSettings(ClientId, ClientSecret);
        settings["DataDirectory"] = _dataDir;
        settings["Objectives__SeedDocument"] = TestEnvironment.LecceRelazione2023;
        settings["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}";
        Host = await HostProcess.StartAsync("embedded/Embedded.Host", settings);
        // The seeded year, scored.
        await Probe.UntilAsync(async () => await new ScoringV1.Scoring.ScoringClient(Host.Channel)
                .GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 }, Bearer(Admin)),
            c => c.EntityLevel is { HasValue: true }, "the seeded year scored");
    }

    public async Task DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
        if (Issuer is not null) await Issuer.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    public static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    public ObjectivesV1.Objectives.ObjectivesClient Objectives => new(Host.Channel);
    public ObjectivesV1.YearWorkflow.YearWorkflowClient Workflow => new(Host.Channel);
    public ObjectivesV1.ObjectivesAudit.ObjectivesAuditClient Audit => new(Host.Channel);
    public ScoringV1.Scoring.ScoringClient Scoring => new(Host.Channel);
    public Reporting.V1.Reporting.ReportingClient Reporting => new(Host.Channel);

    /// <summary>
    /// Calls any method with an empty request (the default message), whatever its kind, as bytes: what the access check
    /// sees first. Returns OK, or the status it was refused (or failed) with.
    /// </summary>
    public async Task<Status> CallAsync(MethodDescriptor method, Metadata? headers)
    {
        var kind = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            _ => MethodType.DuplexStreaming,
        };
        var raw = new Method<byte[], byte[]>(kind, method.Service.FullName, method.Name, Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(20));
        try
        {
            switch (kind)
            {
                case MethodType.Unary:
                    await Invoker.AsyncUnaryCall(raw, null, options, []).ResponseAsync;
                    break;
                case MethodType.ServerStreaming:
                {
                    using var call = Invoker.AsyncServerStreamingCall(raw, null, options, []);
                    await call.ResponseStream.MoveNext(CancellationToken.None);
                    break;
                }
                case MethodType.ClientStreaming:
                {
                    using var call = Invoker.AsyncClientStreamingCall(raw, null, options);
                    await call.RequestStream.CompleteAsync();
                    await call.ResponseAsync;
                    break;
                }
                default:
                {
                    using var call = Invoker.AsyncDuplexStreamingCall(raw, null, options);
                    await call.RequestStream.CompleteAsync();
                    await call.ResponseStream.MoveNext(CancellationToken.None);
                    break;
                }
            }
            return Status.DefaultSuccess;
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }
}
