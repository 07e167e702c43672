using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.ServiceDefaults;
using PerfPlatform.TestSupport;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Tests;

/// <summary>
/// The Objectives service as its host runs it (same registration calls), on a real loopback port over HTTP/2,
/// with the in-process bus and a subscriber that records every event it publishes.
/// </summary>
public sealed class ObjectivesHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDir;
    public GrpcChannel Channel { get; }
    public V1.Objectives.ObjectivesClient Client { get; }
    public EventLog Events { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>The database's connection string, for a second host (a replica) on the same database.</summary>
    public string ConnectionString { get; }

    private ObjectivesHost(WebApplication app, GrpcChannel channel, string dataDir, string connectionString)
    {
        ConnectionString = connectionString;
        _app = app;
        _dataDir = dataDir;
        Channel = channel;
        Client = new V1.Objectives.ObjectivesClient(channel);
        Events = app.Services.GetRequiredService<EventLog>();
    }

    /// <param name="connectionString">null: a SQLite file in a fresh folder.</param>
    public static async Task<ObjectivesHost> StartAsync(string? connectionString)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "perf-objectives-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var port = TestEnvironment.FreeTcpPort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = dataDir });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["DataDirectory"] = dataDir;
        // SQLite spelled out, so that a replica can share the file.
        connectionString ??= $"Data Source={Path.Combine(dataDir, "objectives.db")}";
        builder.Configuration[$"ConnectionStrings:{ObjectivesService.DatabaseName}"] = connectionString;
        // Real bearer tokens, from the in-test issuer: the channel sends an administrator's, As(name) another person's.
        var issuer = await TestTokenIssuer.SharedAsync();
        foreach (var (key, value) in issuer.HostSettings()) builder.Configuration[key.Replace("__", ":")] = value;
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton<EventLog>();

        builder.AddServiceDefaults();
        builder.AddObjectivesService();
        builder.AddPlatformMessaging(ObjectivesService.AddConsumers, bus => bus.AddConsumer<RecordingConsumer>());

        var app = builder.Build();
        app.MapObjectivesService();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        var admin = issuer.Person("test-admin", ["admin"]);
        var channel = GrpcChannel.ForAddress($"http://localhost:{port}", new GrpcChannelOptions
        {
            HttpHandler = new DefaultToken(admin) { InnerHandler = new SocketsHttpHandler() },
        });
        return new ObjectivesHost(app, channel, dataDir, connectionString) { _issuer = issuer };
    }

    private TestTokenIssuer _issuer = null!;

    /// <summary>The call made by <paramref name="name"/> (an administrator): its bearer token, whose name the audit trail records.</summary>
    public Metadata As(string name) => new() { { "authorization", "Bearer " + _issuer.Person(name, ["admin"]) } };

    /// <summary>Sends the given token with every call that names no other.</summary>
    private sealed class DefaultToken(string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.Headers.Contains("authorization")) request.Headers.TryAddWithoutValidation("authorization", "Bearer " + token);
            return base.SendAsync(request, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    public sealed class RecordingConsumer(EventLog log) : IConsumer<PlanChanged>
    {
        public Task Consume(ConsumeContext<PlanChanged> context)
        {
            log.Add(context.Message);
            return Task.CompletedTask;
        }
    }
}

/// <summary>Every PlanChanged seen on the bus, in arrival order.</summary>
public sealed class EventLog
{
    private readonly ConcurrentQueue<PlanChanged> _events = new();
    public IReadOnlyList<PlanChanged> All => _events.ToArray();
    public void Add(PlanChanged e) => _events.Enqueue(e);

    public Task<PlanChanged> WaitForAsync(Func<PlanChanged, bool> match, string what) =>
        Probe.UntilAsync(() => Task.FromResult(_events.FirstOrDefault(match)), e => e is not null, what)!;
}
