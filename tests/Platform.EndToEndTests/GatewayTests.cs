using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.EndToEndTests;

/// <summary>The embedded services, the portal and the gateway as processes, as scripts/run.sh starts them.</summary>
public sealed class GatewayPlatform : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "perf-gateway-tests", Guid.NewGuid().ToString("N"));
    public HostProcess Services { get; private set; } = null!;
    public HostProcess Portal { get; private set; } = null!;
    public HostProcess Gateway { get; private set; } = null!;
    public Uri GatewayHttp { get; private set; } = null!;
    public string PortalUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Services = await HostProcess.StartAsync("embedded/Embedded.Host", new Dictionary<string, string>
        {
            ["DataDirectory"] = _dataDir,
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["Objectives__SeedDocument"] = TestEnvironment.LecceRelazione2023,
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}",
        });
        PortalUrl = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}";
        Portal = await HostProcess.StartAsync("web/Portal", new Dictionary<string, string>
        {
            ["Auth__Disabled"] = "true", // the portal's login is tests/Portal.BrowserTests' subject
            ["DataDirectory"] = _dataDir, // its key ring (portal.db) with the rest of this fixture's files, not in its build output
            ["Services__Objectives"] = $"http://127.0.0.1:{Services.GrpcPort}",
            ["Services__Scoring"] = $"http://127.0.0.1:{Services.GrpcPort}",
            ["Services__Reporting"] = $"http://127.0.0.1:{Services.GrpcPort}",
            ["Kestrel__Endpoints__Http__Url"] = PortalUrl,
            ["Kestrel__Endpoints__Grpc__Protocols"] = "Http2",
        });
        (Gateway, GatewayHttp) = await StartGatewayAsync(new Dictionary<string, string>());
    }

    /// <summary>A gateway in front of this platform, with extra settings.</summary>
    public async Task<(HostProcess Gateway, Uri Http)> StartGatewayAsync(IDictionary<string, string> settings)
    {
        var http = new Uri($"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}");
        var all = new Dictionary<string, string>
        {
            ["Services__Objectives"] = $"http://127.0.0.1:{Services.GrpcPort}",
            ["Services__Scoring"] = $"http://127.0.0.1:{Services.GrpcPort}",
            ["Services__Reporting"] = $"http://127.0.0.1:{Services.GrpcPort}",
            ["Services__Portal"] = PortalUrl,
            ["Auth__Disabled"] = "true", // the gateway's own reflection is not what these tests are about
            ["Kestrel__Endpoints__Http__Url"] = http.ToString(),
        };
        foreach (var (k, v) in settings) all[k] = v;
        return (await HostProcess.StartAsync("gateway/Gateway", all), http);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Portal.DisposeAsync();
        await Services.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// The gateway's two listeners: gRPC only on the gRPC one, the portal only on the browser one (the port an Ingress
/// exposes); reflection there lists the routed services; one request-size limit; a rate limit per client.
/// </summary>
public sealed class GatewayTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    [Fact]
    public async Task A_grpc_request_on_the_browser_port_gets_404_and_changes_nothing()
    {
        var objectives = new ObjectivesV1.Objectives.ObjectivesClient(platform.Gateway.Channel);
        var before = await objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = 2023 });

        using var http = new HttpClient { BaseAddress = platform.GatewayHttp };
        var frame = GrpcFrame(new ObjectivesV1.DeleteStrategicObjectiveRequest { Year = 2023, Code = "1.13" });
        using var content = new ByteArrayContent(frame);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var response = await http.PostAsync("/perf.objectives.v1.Objectives/DeleteStrategicObjective", content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        var after = await objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal(before.Version, after.Version);
        Assert.Contains(after.Areas.SelectMany(a => a.StrategicObjectives), s => s.Code == "1.13");
        // The browser port still serves the portal.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_grpc_port_serves_the_services_and_not_the_portal()
    {
        var tree = await new ObjectivesV1.Objectives.ObjectivesClient(platform.Gateway.Channel)
            .GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal("Città di Lecce", tree.EntityName);

        using var h2c = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{platform.Gateway.GrpcPort}"),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        Assert.Equal(HttpStatusCode.NotFound, (await h2c.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Reflection_through_the_gateway_lists_the_routed_services_and_their_methods()
    {
        var reflection = new ServerReflection.ServerReflectionClient(platform.Gateway.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "perf.scoring.v1.Scoring" });
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("perf.objectives.v1.Objectives", services);
        Assert.Contains("perf.scoring.v1.Scoring", services);
        Assert.Contains("perf.reporting.v1.Reporting", services);
        Assert.Contains("perf.objectives.v1.YearWorkflow", services);
        Assert.Contains("grpc.health.v1.Health", services);

        Assert.True(await call.ResponseStream.MoveNext());
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(b => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(b)).ToList();
        var scoring = Assert.Single(files.SelectMany(f => f.Service), s => s.Name == "Scoring");
        Assert.Contains(scoring.Method, m => m.Name == "GetScorecard");
    }

    [Fact]
    public async Task One_request_size_limit_holds_from_gateway_to_service()
    {
        var (gateway, _) = await platform.StartGatewayAsync(new Dictionary<string, string> { ["Limits__MaxRequestBytes"] = (1024 * 1024).ToString() });
        await using var _ = gateway;
        var objectives = new ObjectivesV1.Objectives.ObjectivesClient(gateway.Channel);

        // Under the limit the service gets the document and explains what is wrong with it ...
        var small = await Assert.ThrowsAsync<RpcException>(() => objectives.ImportDocumentAsync(Document(512 * 1024)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, small.StatusCode);
        // ... over it the gateway refuses the request before it reaches the service.
        var large = await Assert.ThrowsAsync<RpcException>(() => objectives.ImportDocumentAsync(Document(2 * 1024 * 1024)).ResponseAsync);
        Assert.NotEqual(StatusCode.InvalidArgument, large.StatusCode);
        Assert.NotEqual(StatusCode.OK, large.StatusCode);
    }

    [Fact]
    public async Task A_client_over_its_rate_limit_is_refused_and_health_is_not_limited()
    {
        var (gateway, http) = await platform.StartGatewayAsync(new Dictionary<string, string>
        {
            ["Gateway__RateLimit__PermitsPerSecond"] = "5", ["Gateway__RateLimit__Burst"] = "5",
        });
        await using var _ = gateway;
        var objectives = new ObjectivesV1.Objectives.ObjectivesClient(gateway.Channel);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            try
            {
                await objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest());
                return StatusCode.OK;
            }
            catch (RpcException e) { return e.StatusCode; }
        }));
        Assert.Contains(StatusCode.OK, outcomes);
        Assert.Contains(outcomes, s => s is StatusCode.Unavailable or StatusCode.ResourceExhausted);
        Assert.True(outcomes.Count(s => s == StatusCode.OK) <= 10, string.Join(", ", outcomes));

        // Health endpoints answer on every listener, and are never limited.
        using var browser = new HttpClient { BaseAddress = http };
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/healthz")).StatusCode);
    }

    private static ObjectivesV1.ImportDocumentRequest Document(int bytes) => new()
    {
        Content = ByteString.CopyFrom(new byte[bytes].Select(_ => (byte)'x').ToArray()),
        Format = ObjectivesV1.DocumentFormat.RelazioneText,
        FileName = "big.txt",
        DryRun = true,
    };

    /// <summary>A gRPC length-prefixed message, as a client would send it.</summary>
    private static byte[] GrpcFrame(IMessage message)
    {
        var body = message.ToByteArray();
        var frame = new byte[5 + body.Length];
        frame[0] = 0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
        body.CopyTo(frame, 5);
        return frame;
    }
}
