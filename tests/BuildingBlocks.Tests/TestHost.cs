using Microsoft.Extensions.Diagnostics.HealthChecks;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.TestSupport;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>
/// A service host wired as the real services wire themselves: <see cref="ServiceDatabaseExtensions.AddServiceDatabase{TContext, TSqlite, TPostgres}"/>
/// (which adds the outbox interceptor and signal), <see cref="MessagingExtensions.AddOutboxDispatcher{TContext}"/> and
/// <see cref="MessagingExtensions.AddPlatformMessaging"/> on the test RabbitMQ (ConnectionStrings:RabbitMq).
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string DatabaseName = "TestDb";
    public const string SecondDatabaseName = "SecondDb";

    public IHost Host { get; }

    private readonly bool _started;

    private TestHost(IHost host, bool started)
    {
        Host = host;
        _started = started;
    }

    /// <param name="database">The database of <see cref="TestDbContext"/>.</param>
    /// <param name="dispatcher">Whether the host runs the outbox dispatcher of <see cref="TestDbContext"/>.</param>
    /// <param name="second">When given, a second service database (<see cref="SecondTestDbContext"/>) with its own dispatcher, in the same host.</param>
    /// <summary>The test schema comes from EnsureCreated, not migrations: the host's MigrateAsync then has nothing to apply.</summary>
    private static void IgnorePendingModelChanges(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    public static async Task<TestHost> StartAsync(
        TestDatabase database,
        bool dispatcher = true,
        TestDatabase? second = null,
        Action<IServiceCollection>? services = null,
        bool start = true,
        string? rabbitMqUrl = null,
        bool waitForBus = true,
        Action<DbContextOptionsBuilder>? configureDatabase = null,
        params Action<IBusRegistrationConfigurator>[] consumers)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration[$"ConnectionStrings:{MessagingExtensions.RabbitMqConnectionName}"] = rabbitMqUrl ?? TestEnvironment.RabbitMqUrl;
        builder.Configuration[$"ConnectionStrings:{DatabaseName}"] = database.ConnectionString;
        builder.AddServiceDatabase<TestDbContext, SqliteTestDbContext, PostgresTestDbContext>(DatabaseName, "unused.db", options =>
        {
            IgnorePendingModelChanges(options);
            configureDatabase?.Invoke(options);
        });
        if (dispatcher) builder.Services.AddOutboxDispatcher<TestDbContext>();
        if (second is not null)
        {
            builder.Configuration[$"ConnectionStrings:{SecondDatabaseName}"] = second.ConnectionString;
            builder.AddServiceDatabase<SecondTestDbContext, SqliteSecondTestDbContext, PostgresSecondTestDbContext>(SecondDatabaseName, "unused-second.db", IgnorePendingModelChanges);
            builder.Services.AddOutboxDispatcher<SecondTestDbContext>();
        }
        services?.Invoke(builder.Services);
        builder.AddPlatformMessaging(consumers);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var host = builder.Build();
        if (start)
        {
            // The bus waits for the broker for up to a minute (AddPlatformMessaging): fail sooner.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await host.StartAsync(timeout.Token);
                // With RabbitMQ the host no longer waits for its bus (a service starts while the broker is away): a test
                // that publishes at once waits here until the bus is connected and its queues are bound.
                if (waitForBus) await WaitForBusAsync(host);
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }
        return new TestHost(host, start);
    }

    private static async Task WaitForBusAsync(IHost host)
    {
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await Probe.UntilAsync(async () => await health.CheckHealthAsync(c => c.Tags.Contains("masstransit")),
            report => report.Entries.Count > 0 && report.Entries.Values.All(e => e.Status == HealthStatus.Healthy),
            "the bus to connect", TimeSpan.FromSeconds(20));
    }

    /// <summary>Runs <paramref name="work"/> with the service's own context from a fresh scope, as a request handler would.</summary>
    public async Task<T> WithDbAsync<TContext, T>(Func<TContext, Task<T>> work) where TContext : OutboxTestDbContext
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TContext>());
    }

    public Task<T> WithDbAsync<T>(Func<TestDbContext, Task<T>> work) => WithDbAsync<TestDbContext, T>(work);

    public OutboxSignal Signal => Host.Services.GetRequiredService<OutboxSignal>();

    public async ValueTask DisposeAsync()
    {
        try { if (_started) await Host.StopAsync(); }
        finally { Host.Dispose(); }
    }
}
