using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PerfPlatform.BuildingBlocks.Outbox;
using Xunit;
using Xunit.Abstractions;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>Latency measurements run alone, after the other tests, not competing with them for the two cores.</summary>
[CollectionDefinition(nameof(Timing), DisableParallelization = true)]
public sealed class Timing;

/// <summary>
/// The dispatcher sweeps the table every 2 s, but a commit wakes it at once: the service database's
/// <see cref="OutboxSaveChangesInterceptor"/> hands the committed messages to the <see cref="OutboxSignal"/> the
/// dispatcher sleeps on.
/// </summary>
public sealed class OutboxSignalTests
{
    private static async Task<bool> SignalledAsync<TContext>(OutboxSignal signal) where TContext : OutboxTestDbContext
    {
        var signalled = await signal.WaitAsync<TContext>(TimeSpan.Zero, CancellationToken.None);
        while (await signal.WaitAsync<TContext>(TimeSpan.Zero, CancellationToken.None)) { }
        return signalled;
    }

    private static Task<bool> SignalledAsync(OutboxSignal signal) => SignalledAsync<TestDbContext>(signal);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task The_service_database_signals_after_each_commit_and_never_before_one(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var secondDatabase = await TestDatabase.CreateAsync(provider, second: true);
        // Built, not started: no dispatcher takes the signal away from the test.
        await using var host = await TestHost.StartAsync(database, dispatcher: false, second: secondDatabase, start: false);
        var signal = host.Signal;
        signal.Subscribe<TestDbContext>(); // as the dispatchers do
        signal.Subscribe<SecondTestDbContext>();
        var runId = Guid.NewGuid();
        Assert.False(await SignalledAsync(signal));

        await host.WithDbAsync(db => Widgets.CommitAsync(db, runId, 1, "saved"));
        Assert.True(await SignalledAsync(signal), "a save outside a transaction commits: it must signal");

        await host.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Widgets.Add(db, runId, 2, "in-transaction");
            await db.SaveChangesAsync();
            Assert.False(await SignalledAsync(signal), "a save inside a transaction has committed nothing yet");
            await transaction.CommitAsync();
            Assert.True(await SignalledAsync(signal), "the commit must signal");
            return 0;
        });

        await host.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Widgets.Add(db, runId, 3, "rolled-back");
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
            Assert.False(await SignalledAsync(signal), "a rollback must not signal");
            return 0;
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => host.WithDbAsync(db =>
        {
            Widgets.Add(db, runId, 4, "saved");
            return db.SaveChangesAsync();
        }));
        Assert.False(await SignalledAsync(signal), "a failed save must not signal");

        // The synchronous API, with one statement (no transaction of EF's own) and with an explicit transaction.
        await host.WithDbAsync(db =>
        {
            db.AddToOutbox(new Events.WidgetCreated(runId, 5, "sync"), Guid.NewGuid(), DateTimeOffset.UtcNow);
            db.SaveChanges();
            return Task.FromResult(0);
        });
        Assert.True(await SignalledAsync(signal), "a synchronous save outside a transaction commits: it must signal");
        await host.WithDbAsync(db =>
        {
            using var transaction = db.Database.BeginTransaction();
            Widgets.Add(db, runId, 6, "sync-in-transaction");
            db.SaveChanges();
            transaction.Commit();
            return Task.FromResult(0);
        });
        Assert.True(await SignalledAsync(signal), "a synchronous commit must signal");

        // Another service database in the same host wakes its own dispatcher only.
        Assert.False(await SignalledAsync<SecondTestDbContext>(signal));
        await host.WithDbAsync<SecondTestDbContext, Guid>(db => Widgets.CommitAsync(db, runId, 7, "second"));
        Assert.True(await SignalledAsync<SecondTestDbContext>(signal), "a commit to the second database must wake its dispatcher");
        Assert.False(await SignalledAsync(signal), "a commit to the second database must not wake the first one's");
    }
}

[Collection(nameof(Timing))]
public sealed class DispatcherWakeUpTests(ITestOutputHelper output)
{
    private const int Samples = 10;
    /// <summary>
    /// Well under the 2 s sweep (which also leaves messages younger than 5 s alone). Without the hand-over each commit
    /// here would wait for a sweep.
    /// </summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(200);

    /// <param name="inTransaction">
    /// Whether the handler opens the transaction itself. Then the commit is its one notification; a bare
    /// SaveChanges of several rows notifies twice (EF's own transaction committed, then the save completed).
    /// </param>
    private static async Task<TimeSpan> CommitToConsumeAsync<TContext>(TestHost host, EventTap tap, int sequence, bool inTransaction = false)
        where TContext : OutboxTestDbContext
    {
        var (id, committedAt) = await host.WithDbAsync<TContext, (Guid, long)>(async db =>
        {
            Guid id;
            if (inTransaction)
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                id = Widgets.Add(db, tap.RunId, sequence, $"{typeof(TContext).Name}-{sequence}");
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
            }
            else
            {
                id = await Widgets.CommitAsync(db, tap.RunId, sequence, $"{typeof(TContext).Name}-{sequence}");
            }
            return (id, Stopwatch.GetTimestamp());
        });
        var delivery = await tap.WaitForAsync(id);
        return Stopwatch.GetElapsedTime(committedAt, delivery.ReceivedAt);
    }

    private static TimeSpan Median(List<TimeSpan> samples) => samples.Order().ElementAt(samples.Count / 2);

    private string Report(string what, List<TimeSpan> samples)
    {
        var line = $"{what}: median {Median(samples).TotalMilliseconds:F0} ms; samples {string.Join(", ", samples.Select(s => $"{s.TotalMilliseconds:F0}"))} ms";
        output.WriteLine(line);
        return line;
    }

    [Fact]
    public async Task A_commit_reaches_a_consumer_well_before_the_next_poll()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database);
        await CommitToConsumeAsync<TestDbContext>(host, tap, 0); // warm-up: the first publish declares the exchange

        var saves = new List<TimeSpan>();
        var transactions = new List<TimeSpan>();
        for (var i = 1; i <= Samples; i++)
        {
            saves.Add(await CommitToConsumeAsync<TestDbContext>(host, tap, 2 * i - 1));
            transactions.Add(await CommitToConsumeAsync<TestDbContext>(host, tap, 2 * i, inTransaction: true));
        }

        var reports = $"{Report("SaveChanges to consume", saves)}\n{Report("transaction commit to consume", transactions)}";
        Assert.True(Median(saves) < Limit && Median(transactions) < Limit, reports);
    }

    /// <summary>
    /// As embedded/Embedded.Host runs Objectives and Scoring: two service databases, two dispatchers, one host and its
    /// one <see cref="OutboxSignal"/>. A commit must wake the dispatcher of its own database, not whichever waits first.
    /// </summary>
    [Fact]
    public async Task With_two_service_databases_in_one_host_a_commit_wakes_the_dispatcher_of_its_own_database()
    {
        await using var first = await TestDatabase.CreateAsync(Provider.Sqlite);
        await using var second = await TestDatabase.CreateAsync(Provider.Sqlite, second: true);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(first, second: second);
        await CommitToConsumeAsync<TestDbContext>(host, tap, 0);
        await CommitToConsumeAsync<SecondTestDbContext>(host, tap, 0);

        var firstSamples = new List<TimeSpan>();
        var secondSamples = new List<TimeSpan>();
        for (var i = 1; i <= Samples; i++)
        {
            firstSamples.Add(await CommitToConsumeAsync<TestDbContext>(host, tap, i, inTransaction: true));
            secondSamples.Add(await CommitToConsumeAsync<SecondTestDbContext>(host, tap, i, inTransaction: true));
        }

        var reports = $"{Report("first database", firstSamples)}\n{Report("second database", secondSamples)}";
        Assert.True(Median(firstSamples) < Limit && Median(secondSamples) < Limit, reports);
    }
}
