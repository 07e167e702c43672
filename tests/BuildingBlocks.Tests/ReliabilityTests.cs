using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerfPlatform.BuildingBlocks.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Tests.Events;
using PerfPlatform.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>
/// Events never stop flowing (issue 17): a row that can never be published is dead-lettered while the rest flow, and
/// can be retried; a broker that stalls or is away makes health Degraded (never Unhealthy), and publishing resumes by
/// itself when it is back, even when the old connection stays wedged. The broker is taken away through a TCP proxy, so
/// the shared test RabbitMQ keeps serving every other test.
/// </summary>
public sealed class ReliabilityTests(ITestOutputHelper output)
{
    private const string OutboxCheck = "outbox-TestDbContext";

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_poison_row_is_dead_lettered_with_its_reason_the_rows_behind_it_flow_and_it_can_be_retried_after_a_fix(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        // Committed by a process with no dispatcher in it: only the sweep will see them, poison first.
        var poisonId = Guid.NewGuid();
        Guid behindId;
        await using (var db = database.NewContext())
        {
            db.OutboxMessages.Add(new OutboxMessage
            {
                MessageId = poisonId, Type = "PerfPlatform.Nowhere.UnknownEvent, PerfPlatform.Nowhere", Payload = "{}",
                OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            });
            await db.SaveChangesAsync();
            behindId = await Widgets.CommitAsync(db, tap.RunId, 1, "behind-the-poison");
        }

        await using var host = await TestHost.StartAsync(database, services: s => s.Configure<OutboxOptions>(o =>
        {
            o.MaxAttempts = 2;
            o.MeasureInterval = TimeSpan.FromMilliseconds(200);
        }));
        await tap.WaitForAsync(behindId); // not held up by the row before it
        var fresh = await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 2, "after-the-poison"));
        await tap.WaitForAsync(fresh);

        var dead = await Probe.UntilAsync(async () =>
        {
            await using var db = database.NewContext();
            return await db.Set<OutboxDeadLetter>().AsNoTracking().SingleOrDefaultAsync(d => d.MessageId == poisonId);
        }, d => d is not null, "the poison row in the dead-letter table");
        Assert.Equal(2, dead!.Attempts);
        Assert.True(dead.Reason.Contains("PerfPlatform.Nowhere"), $"reason: {dead.Reason}");
        await using (var db = database.NewContext())
            Assert.False(await db.OutboxMessages.AnyAsync(m => m.MessageId == poisonId));

        // Measured on the monitor's own timer: the next measurement sees the dead letter.
        var health = await Probe.UntilAsync(() => CheckAsync(host),
            r => r.Entries[OutboxCheck].Description?.Contains("--retry-dead-letters") == true, "outbox health naming the dead letter");
        Assert.Equal(HealthStatus.Degraded, health.Entries[OutboxCheck].Status);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains(Gauge("perf.outbox.dead_letters"), m => m.Value == 1);

        // The fix: the type now exists (as after a deploy); here, the row is rewritten to one. Then the operator's command.
        var fixedEvent = new WidgetCreated(tap.RunId, 3, "poison-fixed");
        await using (var db = database.NewContext())
        {
            var row = await db.Set<OutboxDeadLetter>().SingleAsync(d => d.MessageId == poisonId);
            var valid = OutboxMessage.From(fixedEvent, poisonId, DateTimeOffset.UtcNow);
            row.Type = valid.Type;
            row.Payload = valid.Payload;
            await db.SaveChangesAsync();
        }
        var admin = host.Host.Services.GetServices<IOutboxAdministration>().Single();
        Assert.Equal(1, await admin.RetryDeadLettersAsync(CancellationToken.None));
        var delivered = await tap.WaitForAsync(poisonId);
        Assert.Equal("poison-fixed", delivered.Name);
        await Probe.UntilAsync(() => CheckAsync(host), r => r.Entries[OutboxCheck].Status == HealthStatus.Healthy, "outbox health Healthy again");
    }

    [Fact]
    public async Task A_stalled_broker_connection_makes_health_degraded_not_unhealthy_and_publishing_resumes_on_a_new_connection()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Postgres);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var proxy = new TcpProxy(new Uri(TestEnvironment.RabbitMqUrl).Port);
        var log = Path.Combine(Path.GetTempPath(), $"bb-stall-{Guid.NewGuid():N}.log");
        output.WriteLine($"host log: {log}");
        await using var host = await TestHost.StartAsync(database, rabbitMqUrl: ThroughProxy(proxy), services: s => s.AddLogging(l => l.AddProvider(new FileLoggerProvider(log))).Configure<OutboxOptions>(o =>
        {
            o.PublishTimeout = TimeSpan.FromSeconds(1);
            o.RestartBusAfter = TimeSpan.FromSeconds(3);
            o.LagDegradedAfter = TimeSpan.FromSeconds(1);
            o.MeasureInterval = TimeSpan.FromMilliseconds(200);
        }));
        await tap.WaitForAsync(await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 1, "before")));

        // The connection stays open and carries nothing, however long: the case in which the outbox used to hang.
        proxy.Set(ProxyMode.Stall);
        var during = new List<Guid>();
        for (var i = 0; i < 3; i++) during.Add(await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 2 + i, $"during-{i}")));
        var health = await Probe.UntilAsync(() => CheckAsync(host), r => r.Entries[OutboxCheck].Status == HealthStatus.Degraded, "outbox health Degraded");
        Assert.NotEqual(HealthStatus.Unhealthy, health.Status);
        Assert.Contains(Gauge("perf.outbox.pending"), m => m.Value >= 1);

        // The broker is reachable again for new connections; the stalled one stays wedged.
        proxy.Set(ProxyMode.Forward);
        foreach (var id in during) await tap.WaitForAsync(id, TimeSpan.FromSeconds(60));
        output.WriteLine($"publishing bus replaced: {host.Host.Services.GetRequiredService<OutboxPublisher>().Recreated} time(s)");
        await Probe.UntilAsync(() => CheckAsync(host), r => r.Entries[OutboxCheck].Status == HealthStatus.Healthy, "outbox health Healthy again", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_service_starts_while_the_broker_is_away_takes_writes_and_publishes_them_when_it_returns()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var proxy = new TcpProxy(new Uri(TestEnvironment.RabbitMqUrl).Port);
        proxy.Set(ProxyMode.Refuse);
        await using var host = await TestHost.StartAsync(database, rabbitMqUrl: ThroughProxy(proxy), waitForBus: false, services: s => s.Configure<OutboxOptions>(o =>
        {
            o.PublishTimeout = TimeSpan.FromSeconds(1);
            o.LagDegradedAfter = TimeSpan.FromSeconds(1);
            o.MeasureInterval = TimeSpan.FromMilliseconds(200);
        }));
        var id = await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 1, "while-away"));
        var health = await Probe.UntilAsync(() => CheckAsync(host), r => r.Entries[OutboxCheck].Status == HealthStatus.Degraded, "outbox health Degraded");
        Assert.Equal(HealthStatus.Degraded, health.Status); // the bus's own check too: Degraded, not Unhealthy
        Assert.DoesNotContain(health.Entries.Values, e => e.Status == HealthStatus.Unhealthy);

        proxy.Set(ProxyMode.Forward);
        await tap.WaitForAsync(id, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task MassTransit_usage_telemetry_is_off()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        await using var host = await TestHost.StartAsync(database, start: false);
        Assert.False(host.Host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }

    [Fact]
    public void A_deployed_host_refuses_to_start_without_its_settings_and_names_them()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "Objectives.Host" });
        builder.Configuration["ConnectionStrings:ObjectivesDb"] = "Host=db";
        var error = Assert.Throws<MissingSettingException>(() => builder.RequireSettings("ConnectionStrings:ObjectivesDb", "ConnectionStrings:RabbitMq"));
        Assert.Contains("ConnectionStrings__RabbitMq", error.Message);
        Assert.DoesNotContain("ConnectionStrings__ObjectivesDb", error.Message);

        builder.Configuration["ConnectionStrings:RabbitMq"] = "amqp://rabbit/";
        builder.RequireSettings("ConnectionStrings:ObjectivesDb", "ConnectionStrings:RabbitMq");
    }

    private static string ThroughProxy(TcpProxy proxy) => new UriBuilder(TestEnvironment.RabbitMqUrl) { Port = proxy.Port }.Uri.ToString();

    private static Task<HealthReport> CheckAsync(TestHost host) =>
        host.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    /// <summary>The current values of one of the outbox's gauges, as an OpenTelemetry exporter would read them.</summary>
    private static List<Measurement<double>> Gauge(string name)
    {
        var values = new List<Measurement<double>>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OutboxMetrics.MeterName && instrument.Name == name) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => values.Add(new Measurement<double>(value, tags)));
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) => values.Add(new Measurement<double>(value, tags)));
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}
