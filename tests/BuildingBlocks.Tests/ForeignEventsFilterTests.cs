using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.BuildingBlocks.Tests.Events;
using PerfPlatform.TestSupport;
using RabbitMQ.Client;
using Xunit;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>
/// A process's subscription that leaves out its own events (<see cref="ForeignEventsFilter"/>), on the real RabbitMQ:
/// what its outbox published at commit stays out; another process's events, and those the sweep published (unstamped),
/// come in.
/// </summary>
public sealed class ForeignEventsFilterTests
{
    public sealed class Recorded
    {
        public ConcurrentQueue<WidgetCreated> Widgets { get; } = new();
    }

    public sealed class WidgetRecorder(Recorded recorded) : IConsumer<WidgetCreated>
    {
        public Task Consume(ConsumeContext<WidgetCreated> context)
        {
            recorded.Widgets.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task The_queue_receives_every_event_of_the_exchange_except_those_this_process_committed()
    {
        var queue = $"test.foreign.{Guid.NewGuid():N}";
        var recorded = new Recorded();
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database, services: s => s.AddSingleton(recorded),
            consumers: bus => bus.AddForeignEventsConsumer<WidgetRecorder>(EventTap.Exchange, queue));
        var filter = host.Host.Services.GetRequiredKeyedService<ForeignEventsFilter>(queue);
        await filter.Declared.WaitAsync(TimeSpan.FromSeconds(20));

        var own = await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 1, "own"));
        await tap.WaitForAsync(own);
        await PublishAsAnotherProcessAsync(tap.RunId, 2, "another process", origin: Guid.NewGuid().ToString("N"));
        await PublishAsAnotherProcessAsync(tap.RunId, 3, "unstamped", origin: null);
        var ownAgain = await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 4, "own again"));
        await tap.WaitForAsync(ownAgain);
        // Published after the tap has the last own event: once it is in, an own event let through would be too.
        await PublishAsAnotherProcessAsync(tap.RunId, 5, "last", origin: "someone-else");

        await Probe.UntilAsync(() => Task.FromResult(recorded.Widgets.Count(w => w.RunId == tap.RunId && w.Sequence == 5)), n => n == 1,
            "the last foreign event at the recorder");
        await Task.Delay(200);
        Assert.Equal([2, 3, 5], recorded.Widgets.Where(w => w.RunId == tap.RunId).Select(w => w.Sequence).Order());
        // The tap, bound to the exchange without the filter, had them all.
        Assert.Equal([1, 2, 3, 4, 5], tap.Received.Select(d => d.Sequence).Order());
    }

    /// <summary>
    /// The filter is declared again after the broker restarts (the client's topology recovery): without it the queue
    /// would receive nothing from then on, and the watchers of a replica would stop hearing of the others' recalculations.
    /// </summary>
    [Fact]
    public async Task After_a_broker_restart_the_queue_again_receives_the_others_events_and_not_its_own()
    {
        await using var rabbit = await RabbitMqNode.StartAsync();
        var queue = $"test.foreign.{Guid.NewGuid():N}";
        var runId = Guid.NewGuid();
        var recorded = new Recorded();
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        await using var host = await TestHost.StartAsync(database, services: s => s.AddSingleton(recorded), rabbitMqUrl: rabbit.Url,
            consumers: bus => bus.AddForeignEventsConsumer<WidgetRecorder>(EventTap.Exchange, queue));
        var filter = host.Host.Services.GetRequiredKeyedService<ForeignEventsFilter>(queue);
        await filter.Declared.WaitAsync(TimeSpan.FromSeconds(20));
        await PublishAsAnotherProcessAsync(runId, 1, "before", origin: "someone-else", rabbit.Url);
        await WaitForAsync(recorded, runId, 1);
        await FilterHealthAsync(host, HealthStatus.Healthy);

        await rabbit.StopAppAsync();
        await FilterHealthAsync(host, HealthStatus.Degraded);
        await rabbit.StartAppAsync();

        // Published again and again until the bus and the filter are back: an event published before that is lost for
        // this temporary queue, as it is for any subscriber's queue that is being declared again.
        var sequence = 2;
        await Probe.UntilAsync(async () =>
        {
            try { await PublishAsAnotherProcessAsync(runId, sequence, "after", origin: "someone-else", rabbit.Url); }
            catch (Exception e) when (e is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException) { }
            await Task.Delay(250);
            return recorded.Widgets.Any(w => w.RunId == runId && w.Sequence >= 2);
        }, arrived => arrived, "a foreign event at the recorder after the restart", TimeSpan.FromSeconds(90));

        var own = await host.WithDbAsync(db => Widgets.CommitAsync(db, runId, 1000, "own after the restart"));
        await Probe.UntilAsync(async () => { await using var db = database.NewContext(); return await Widgets.OutboxRowAsync(db, own); },
            row => row?.DispatchedAt is not null, "the own event published");
        await PublishAsAnotherProcessAsync(runId, 1001, "last", origin: "someone-else", rabbit.Url);
        await WaitForAsync(recorded, runId, 1001);
        await Task.Delay(200);
        Assert.DoesNotContain(recorded.Widgets, w => w.RunId == runId && w.Sequence == 1000);
        await FilterHealthAsync(host, HealthStatus.Healthy);
    }

    private static Task FilterHealthAsync(TestHost host, HealthStatus expected)
    {
        var health = host.Host.Services.GetRequiredService<HealthCheckService>();
        return Probe.UntilAsync(() => health.CheckHealthAsync(c => c.Name.StartsWith("events-filter-", StringComparison.Ordinal)),
            report => report.Entries.Count == 1 && report.Entries.Values.Single().Status == expected, $"the filter's health {expected}",
            TimeSpan.FromSeconds(60));
    }

    private static Task WaitForAsync(Recorded recorded, Guid runId, int sequence) =>
        Probe.UntilAsync(() => Task.FromResult(recorded.Widgets.Any(w => w.RunId == runId && w.Sequence == sequence)), found => found,
            $"event {sequence} at the recorder", TimeSpan.FromSeconds(30));

    /// <summary>What another process publishes: a MassTransit envelope with that process's origin, or none.</summary>
    private static async Task PublishAsAnotherProcessAsync(Guid runId, int sequence, string name, string? origin, string? url = null)
    {
        var factory = new ConnectionFactory { Uri = new Uri(url ?? TestEnvironment.RabbitMqUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId = Guid.NewGuid(),
            messageType = new[] { $"urn:message:{typeof(WidgetCreated).Namespace}:{nameof(WidgetCreated)}" },
            message = new { runId, sequence, name },
        });
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            Headers = origin is null ? null : new Dictionary<string, object?> { [EventOrigin.Header] = origin },
        };
        await channel.BasicPublishAsync(EventTap.Exchange, routingKey: "", mandatory: false, properties, envelope);
    }
}
