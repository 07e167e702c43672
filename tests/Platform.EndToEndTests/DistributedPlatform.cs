using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.EndToEndTests;

/// <summary>
/// Objectives and Scoring as two processes, each with its own PostgreSQL database, on one RabbitMQ; plus a
/// bystander bus connection that records every PlanChanged with its message id, as another city system would.
/// </summary>
public sealed class DistributedPlatform : IAsyncLifetime
{
    private PostgresDatabase _objectivesDb = null!;
    private PostgresDatabase _scoringDb = null!;
    private PostgresDatabase _portalDb = null!;
    private IServiceProvider _busServices = null!;
    private IBusControl _bus = null!;

    public HostProcess Objectives { get; private set; } = null!;
    public HostProcess Scoring { get; private set; } = null!;
    public HostProcess Gateway { get; private set; } = null!;
    public HostProcess Portal { get; private set; } = null!;
    /// <summary>The gateway's HTTP/1.1 entry for browsers.</summary>
    public Uri GatewayHttp { get; private set; } = null!;
    public ObjectivesV1.Objectives.ObjectivesClient ObjectivesClient => new(Objectives.Channel);
    public ScoringV1.Scoring.ScoringClient ScoringClient => new(Scoring.Channel);
    public ConcurrentQueue<(Guid MessageId, PlanChanged Event)> PlanEvents { get; } = new();
    public IBus Bus => _bus;

    public async Task InitializeAsync()
    {
        _objectivesDb = await PostgresDatabase.CreateAsync("e2e_objectives");
        _scoringDb = await PostgresDatabase.CreateAsync("e2e_scoring");
        _portalDb = await PostgresDatabase.CreateAsync("e2e_portal");
        var services = new ServiceCollection();
        services.AddSingleton(PlanEvents);
        services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.AddConsumer<RecordingConsumer>().Endpoint(e => { e.Name = $"e2e.recorder.{Guid.NewGuid():N}"; e.Temporary = true; });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(TestEnvironment.RabbitMqUrl));
                cfg.Message<PlanChanged>(m => m.SetEntityName(EventExchanges.PlanChanged));
                cfg.ConfigureEndpoints(context);
            });
        });
        _busServices = services.BuildServiceProvider();
        _bus = _busServices.GetRequiredService<IBusControl>();
        await _bus.StartAsync();

        Objectives = await HostProcess.StartAsync("services/Objectives/Objectives.Host", new Dictionary<string, string>
        {
            ["ConnectionStrings__ObjectivesDb"] = _objectivesDb.ConnectionString,
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["ConnectionStrings__RabbitMq"] = TestEnvironment.RabbitMqUrl,
        });
        Scoring = await StartScoringAsync();
        var portalHttp = TestEnvironment.FreeTcpPort();
        Portal = await HostProcess.StartAsync("web/Portal", new Dictionary<string, string>
        {
            ["Auth__Disabled"] = "true", // the portal's login is tests/Portal.BrowserTests' subject
            ["ConnectionStrings__PortalDb"] = _portalDb.ConnectionString, // its key ring, as deployed
            ["Services__Objectives"] = $"http://127.0.0.1:{Objectives.GrpcPort}",
            ["Services__Scoring"] = $"http://127.0.0.1:{Scoring.GrpcPort}",
            ["Services__Reporting"] = "http://127.0.0.1:9", // not run here, as for the gateway below
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{portalHttp}",
            ["Kestrel__Endpoints__Grpc__Protocols"] = "Http2", // only so that the test can ask its gRPC health
        });
        GatewayHttp = new Uri($"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}");
        Gateway = await HostProcess.StartAsync("gateway/Gateway", new Dictionary<string, string>
        {
            ["Services__Objectives"] = $"http://127.0.0.1:{Objectives.GrpcPort}",
            ["Services__Scoring"] = $"http://127.0.0.1:{Scoring.GrpcPort}",
            ["Services__Portal"] = $"http://127.0.0.1:{portalHttp}",
            ["Services__Reporting"] = "http://127.0.0.1:9", // Reporting is not run here (tests/Reporting.Tests runs it)
            ["Kestrel__Endpoints__Http__Url"] = GatewayHttp.ToString(),
            ["Auth__Disabled"] = "true", // tokens are tests/Platform.AccessTests' and tests/Identity.Tests' subject
        });
    }

    private Task<HostProcess> StartScoringAsync(int? grpcPort = null) =>
        HostProcess.StartAsync("services/Scoring/Scoring.Host", new Dictionary<string, string>
        {
            ["ConnectionStrings__ScoringDb"] = _scoringDb.ConnectionString,
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["ConnectionStrings__RabbitMq"] = TestEnvironment.RabbitMqUrl,
            ["Services__Objectives"] = $"http://127.0.0.1:{Objectives.GrpcPort}",
        }, grpcPort);

    /// <summary>A second Scoring process on the same database and queue, as a second Kubernetes replica would run.</summary>
    public Task<HostProcess> StartScoringReplicaAsync() => StartScoringAsync();

    public async Task RestartScoringAsync(Func<Task> whileDown)
    {
        await Scoring.DisposeAsync();
        await whileDown();
        // Back on the same port, so the gateway and the portal find it again.
        Scoring = await StartScoringAsync(Scoring.GrpcPort);
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null) await Gateway.DisposeAsync();
        if (Portal is not null) await Portal.DisposeAsync();
        if (Scoring is not null) await Scoring.DisposeAsync();
        if (Objectives is not null) await Objectives.DisposeAsync();
        if (_bus is not null) await _bus.StopAsync();
        if (_objectivesDb is not null) await _objectivesDb.DisposeAsync();
        if (_scoringDb is not null) await _scoringDb.DisposeAsync();
        if (_portalDb is not null) await _portalDb.DisposeAsync();
    }

    public sealed class RecordingConsumer(ConcurrentQueue<(Guid, PlanChanged)> events) : IConsumer<PlanChanged>
    {
        public Task Consume(ConsumeContext<PlanChanged> context)
        {
            events.Enqueue((context.MessageId!.Value, context.Message));
            return Task.CompletedTask;
        }
    }
}
