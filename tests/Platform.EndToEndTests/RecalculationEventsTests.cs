using MassTransit;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.TestSupport;
using Xunit;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.EndToEndTests;

/// <summary>
/// A percentage changes in Objectives; Scoring, a separate process, recomputes and pushes the result, over a
/// real RabbitMQ, each service on its own PostgreSQL database. Each test uses its own year.
/// </summary>
[Collection(nameof(RabbitMqCollection))]
public sealed class RecalculationEventsTests(DistributedPlatform platform) : IClassFixture<DistributedPlatform>
{
    [Fact]
    public async Task Changing_1_13_to_100_recomputes_area_1_and_the_entity_level_on_the_scorecard_and_the_stream()
    {
        var imported = await platform.ObjectivesClient.ImportAsync(Documents.Lecce2023);
        var before = await platform.ScoringClient.ScorecardWhenAsync(2023, c => c.Version > 0 && c.Entity() is not null, "the imported year scored");
        Assert.Equal(99.58, before.Area(1));
        Assert.Equal(99.40, before.Entity());
        Assert.Equal(99.39, before.DeclaredEntityLevel.Value);
        // Declared against computed on the 2023 document: area 1 and the entity level, nothing else.
        Assert.Equal(["1", ""], before.Discrepancies.Select(d => d.Key));
        var area1 = before.Discrepancies[0];
        Assert.Equal((ScoringV1.ScoreLevel.Area, 99.52, 99.58), (area1.Level, area1.Declared.Value, area1.Computed.Value));
        Assert.Equal(ScoringV1.DiscrepancyCause.ChildLeftOut, Assert.Single(area1.Causes).Cause); // 7 of the 8, one at 100 left out
        Assert.Equal((99.39, 99.40), (before.Discrepancies[1].Declared.Value, before.Discrepancies[1].Computed.Value));

        await using var watch = await RecalculationWatch.StartAsync(platform.ScoringClient, 2023);
        var entry = await platform.ObjectivesClient.SetAsync(2023, "1.13", 100);
        Assert.Equal(imported.Version + 1, entry.Version);

        var pushed = await watch.ForPlanVersionAsync(entry.Version);
        var changes = pushed.Changes.ToDictionary(c => (c.Level, c.Key));
        Assert.Equal(3, changes.Count);
        Assert.Equal((96.67, 100), (changes[(ScoringV1.ScoreLevel.StrategicObjective, "1.13")].OldValue.Value, changes[(ScoringV1.ScoreLevel.StrategicObjective, "1.13")].NewValue.Value));
        Assert.Equal((99.58, 100), (changes[(ScoringV1.ScoreLevel.Area, "1")].OldValue.Value, changes[(ScoringV1.ScoreLevel.Area, "1")].NewValue.Value));
        Assert.Equal((99.40, 99.44), (changes[(ScoringV1.ScoreLevel.Entity, "")].OldValue.Value, changes[(ScoringV1.ScoreLevel.Entity, "")].NewValue.Value));

        var after = await platform.ScoringClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 });
        Assert.Equal((100.00, 99.44), (after.Area(1), after.Entity()));
        Assert.Equal(pushed.Version, after.Version);

        // The same answers through the gateway, which routes each service's gRPC package over HTTP/2.
        var viaGateway = await new ScoringV1.Scoring.ScoringClient(platform.Gateway.Channel).GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 });
        Assert.Equal(after, viaGateway);
        var tree = await new Objectives.V1.Objectives.ObjectivesClient(platform.Gateway.Channel).GetYearTreeAsync(new Objectives.V1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal(entry.Version, tree.Version);

        // And the portal behind the gateway shows it, Italian first, English on request.
        using var http = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = platform.GatewayHttp };
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US,en;q=0.9"); // Italian all the same, until English is chosen
        var italian = await http.GetStringAsync("/?anno=2023");
        Assert.Contains("<html lang=\"it\">", italian);
        Assert.Contains("Relazione sulla Performance 2023", italian);
        Assert.Contains("99,44", italian);
        Assert.Contains("99,39", italian);
        // The explanation follows the change: 99,39 still comes from area 1's declared 99,52, now against its computed 100,00.
        Assert.Contains("99,39 si ottiene usando il valore dichiarato dell'area 1, 99,52, invece di quello calcolato, 100,00.",
            System.Net.WebUtility.HtmlDecode(italian));
        var english = await http.GetStringAsync("/?anno=2023&culture=en");
        Assert.Contains("Performance Report 2023", english);
        Assert.Contains("99.44", english);
        Assert.Contains("Performance Report 2023", await http.GetStringAsync("/?anno=2023")); // the choice is remembered

        // Scoring's watchers hear of a recalculation twice, from its own commit and through the bus: the stream passes
        // it on once. A later change's arrival means the bus copy of the first (published before it) has been through.
        var back = await platform.ObjectivesClient.SetAsync(2023, "1.13", 96.67);
        await watch.ForPlanVersionAsync(back.Version);
        Assert.Single(watch.Received, r => r.PlanVersion == entry.Version);
    }

    [Fact]
    public async Task A_redelivered_or_late_older_event_changes_nothing()
    {
        const int year = 2022;
        var imported = await platform.ObjectivesClient.ImportAsync(Documents.LecceFor(year));
        await using var watch = await RecalculationWatch.StartAsync(platform.ScoringClient, year);
        var first = await platform.ObjectivesClient.SetAsync(year, "1.13", 50);
        await watch.ForPlanVersionAsync(first.Version);
        var second = await platform.ObjectivesClient.SetAsync(year, "1.13", 100);
        await watch.ForPlanVersionAsync(second.Version);
        var settled = await platform.ScoringClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year });
        Assert.Equal(100, settled.Area(1));

        // Redeliver the first change with its own message id, and a late copy of it under a new id.
        var (messageId, firstEvent) = await Probe.UntilAsync(
            () => Task.FromResult(platform.PlanEvents.FirstOrDefault(e => e.Event.Year == year && e.Event.PlanVersion == first.Version)),
            e => e.Event is not null, "the first change's PlanChanged seen on the bus");
        await platform.Bus.Publish(firstEvent, ctx => ctx.MessageId = messageId);
        await platform.Bus.Publish(firstEvent with { EventId = Guid.NewGuid() }, ctx => ctx.MessageId = Guid.NewGuid());

        // A fresh change after them: once it is applied, the two before it have been consumed (one queue, in order).
        var third = await platform.ObjectivesClient.SetAsync(year, "2.2", 90);
        var pushed = await watch.ForPlanVersionAsync(third.Version);
        var card = await platform.ScoringClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year });
        Assert.Equal(100, card.Area(1)); // not back to 50
        Assert.Equal(settled.Version + 1, card.Version); // the redelivery and the late copy moved nothing
        Assert.Equal(pushed.Version, card.Version);
        Assert.DoesNotContain(watch.Received, r => r.CauseId == firstEvent.EventId.ToString() && r.Version > settled.Version);
        // Exactly one recalculation per real change, in order.
        Assert.Equal([first.Version, second.Version, third.Version], watch.Received.Where(r => r.PlanVersion > imported.Version).Select(r => r.PlanVersion));
    }

    [Fact]
    public async Task Changes_made_while_Scoring_is_down_are_all_applied_when_it_returns()
    {
        const int year = 2021;
        var imported = await platform.ObjectivesClient.ImportAsync(Documents.LecceFor(year));
        await platform.ScoringClient.ScorecardWhenAsync(year, c => c.Entity() is not null, "the imported year scored");

        long last = imported.Version;
        await platform.RestartScoringAsync(async () =>
        {
            await platform.ObjectivesClient.SetAsync(year, "1.13", 50);
            await platform.ObjectivesClient.SetAsync(year, "2.2", 80);
            last = (await platform.ObjectivesClient.SetAsync(year, "10.1", 100)).Version;
        });

        var card = await platform.ScoringClient.ScorecardWhenAsync(year, c => c.Area(10) == 100, "the changes made while Scoring was down");
        Assert.Equal(93.75, card.Area(1));  // (7 × 100 + 50) / 8
        Assert.Equal(96.67, card.Area(2));  // (80 + 5 × 100) / 6
        Assert.Equal(98.94, card.Entity()); // (93,75 + 96,67 + 7 × 100) / 9
        Assert.Equal(last, imported.Version + 3);
    }

    [Fact]
    public async Task Two_Scoring_replicas_share_the_changes_and_each_one_s_watchers_see_them_all()
    {
        const int year = 2020;
        var imported = await platform.ObjectivesClient.ImportAsync(Documents.LecceFor(year));
        await platform.ScoringClient.ScorecardWhenAsync(year, c => c.Entity() is not null, "the imported year scored");
        await using var replica = await platform.StartScoringReplicaAsync();
        var replicaClient = new ScoringV1.Scoring.ScoringClient(replica.Channel);
        await using var watchFirst = await RecalculationWatch.StartAsync(platform.ScoringClient, year);
        await using var watchSecond = await RecalculationWatch.StartAsync(replicaClient, year);

        // The broker hands the queue's messages to the two in turn. Each replica writes from its own copy of the year,
        // which the other's writes make stale: its save must fail and reload, never overwrite. One change at a time, so
        // none is older than what a replica already holds.
        var versions = new List<long>();
        foreach (var value in new[] { 50.0, 60, 70, 80, 90, 100 })
        {
            var entry = await platform.ObjectivesClient.SetAsync(year, "1.13", value);
            await watchFirst.ForPlanVersionAsync(entry.Version);
            await watchSecond.ForPlanVersionAsync(entry.Version);
            versions.Add(entry.Version);
        }

        var first = await platform.ScoringClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year });
        var second = await replicaClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year });
        Assert.Equal((100.00, 99.44), (first.Area(1), first.Entity()));
        Assert.Equal(first, second);
        // One recalculation per change on each stream, with score versions that follow each other.
        foreach (var watch in new[] { watchFirst, watchSecond })
        {
            var received = watch.Received.Where(r => r.PlanVersion > imported.Version).ToList();
            Assert.Equal(versions, received.Select(r => r.PlanVersion));
            Assert.Equal(Enumerable.Range(0, versions.Count).Select(i => received[0].Version + i), received.Select(r => r.Version));
        }
        Assert.Equal(first.Version, watchFirst.Received.Max(r => r.Version));
    }
}

[CollectionDefinition(nameof(RabbitMqCollection))]
public sealed class RabbitMqCollection;
