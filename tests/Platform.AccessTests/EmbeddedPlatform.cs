using Google.Protobuf.Reflection;
using System.Security.Cryptography;
using Grpc.Core;
using PerfPlatform.ServiceDefaults.Security;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.AccessTests;

/// <summary>
/// The embedded identity provider (services/Identity/Identity.Host, through TestSupport's <see cref="IdentityProvider"/>)
/// and the embedded host (Objectives, Scoring and Reporting in one process, the 2023 annex seeded) as their own
/// processes, wired as scripts/run.sh wires them: the host trusts the provider's issuer and its Reporting reads
/// Objectives and Scoring with the host's own client-credentials token (client "embedded": perf.read perf.admin).
/// Every valid token is real: people log in through the provider's login page (authorization code with PKCE), machines
/// ask its token endpoint. The provider signs with a key the fixture gives it (Identity:SigningKey), so
/// <see cref="TamperedTokens"/> can make the tokens the provider never issues: expired, of another audience or issuer.
/// </summary>
public sealed class EmbeddedPlatform : IAsyncLifetime
{
    public const string ClientId = "embedded";
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "perf-access-tests", Guid.NewGuid().ToString("N"));
    private readonly RSA _signingKey = RSA.Create(2048);

    public IdentityProvider Provider { get; private set; } = null!;
    public HostProcess Host { get; private set; } = null!;
    public TamperedTokens Tampered { get; private set; } = null!;
    public CallInvoker Invoker => Host.Channel.CreateCallInvoker();

    // The demo users, one per role, logged in for real (docs/security.md), and a machine client with perf.read only.
    public string Admin { get; private set; } = null!;
    public string Control { get; private set; } = null!;
    public string Oiv { get; private set; } = null!;
    public string Viewer { get; private set; } = null!;
    public string SectorManager { get; private set; } = null!;
    public string ReadMachine { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await IdentityProvider.StartAsync(extraSettings: new Dictionary<string, string>
        {
            ["Identity__SigningKey"] = _signingKey.ExportPkcs8PrivateKeyPem(),
        });
        Tampered = new TamperedTokens(_signingKey);
        var settings = new Dictionary<string, string>
        {
            ["DataDirectory"] = _dataDir,
            ["Objectives__SeedDocument"] = TestEnvironment.LecceRelazione2023,
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}",
            // As scripts/run.sh: the issuer exactly as the tokens write it; discovery and keys from the provider over HTTP.
            ["Auth__Authority"] = Provider.Issuer,
            ["Auth__MetadataAddress"] = new Uri(Provider.Address, ".well-known/openid-configuration").ToString(),
            ["Auth__RequireHttpsMetadata"] = "false",
            ["Auth__ClientId"] = ClientId,
            ["Auth__ClientSecret"] = IdentityProvider.ClientSecret(ClientId),
            // Each service token the host obtains is logged (counted by a test).
            [$"Logging__LogLevel__{typeof(ServiceTokenSource).FullName}"] = "Debug",
        };
        var host = HostProcess.StartAsync("embedded/Embedded.Host", settings);
        var logins = new[] { "admin", "controllo", "oiv", "lettore", "dirigente" }
            .Select(user => Provider.LoginAsync(user, IdentityProvider.DemoPassword)).ToArray();
        var machine = Provider.GetClientTokenAsync("city-system-sample", IdentityProvider.ClientSecret("city-system-sample"), "perf.read");
        Host = await host;
        (Admin, Control, Oiv, Viewer, SectorManager) = (await logins[0], await logins[1], await logins[2], await logins[3], await logins[4]);
        ReadMachine = await machine;
        // The seeded year, scored.
        await Probe.UntilAsync(async () => await new ScoringV1.Scoring.ScoringClient(Host.Channel)
                .GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 }, Bearer(Admin)),
            c => c.EntityLevel is { HasValue: true }, "the seeded year scored");
    }

    public async Task DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
        _signingKey.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    /// <summary>The service tokens the host has obtained from the provider so far (its log says each one).</summary>
    public int ServiceTokensObtained => Host.Output.Split('\n').Count(l => l.Contains($"Service token for {ClientId} obtained", StringComparison.Ordinal));

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
