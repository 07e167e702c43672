using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>
/// No event for a rolled-back change: each on a SQLite file and on PostgreSQL, with the real dispatcher running
/// against the real RabbitMQ and a plain AMQP queue watching the event's exchange.
/// </summary>
public sealed class OutboxRollbackTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_save_that_fails_on_a_unique_key_stores_no_event_and_publishes_nothing(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database);

        var first = await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 1, "taken"));
        await tap.WaitForAsync(first);

        // The widget's name is taken: the insert fails, and the event stored with it must go with it.
        var failed = Guid.Empty;
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => host.WithDbAsync(async db =>
        {
            failed = Widgets.Add(db, tap.RunId, 2, "taken");
            return await db.SaveChangesAsync();
        }));
        Assert.True(OutboxChecks.IsUniqueViolation(error), $"expected a unique-key violation, got: {error.InnerException?.Message ?? error.Message}");

        await using (var db = database.NewContext())
        {
            Assert.Null(await Widgets.OutboxRowAsync(db, failed));
            Assert.Equal(1, await db.Widgets.CountAsync(w => w.Name == "taken"));
            Assert.Equal(1, await db.OutboxMessages.CountAsync());
        }

        var sentinel = await OutboxChecks.CommitSentinelAsync(host, tap, 3);
        Assert.Equal([first, sentinel], tap.Received.Select(d => d.EnvelopeMessageId));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_rolled_back_transaction_stores_no_event_and_publishes_nothing(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database);

        var rolledBack = await host.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var id = Widgets.Add(db, tap.RunId, 1, "rolled-back");
            await db.SaveChangesAsync();
            // The rows are written but not committed. The save inside the transaction must not hand them to the
            // dispatcher (only the commit does), and its sweep must not see them.
            await Task.Delay(700);
            await transaction.RollbackAsync();
            return id;
        });

        await using (var db = database.NewContext())
        {
            Assert.Null(await Widgets.OutboxRowAsync(db, rolledBack));
            Assert.False(await db.Widgets.AnyAsync(w => w.Name == "rolled-back"));
        }

        var sentinel = await OutboxChecks.CommitSentinelAsync(host, tap, 2);
        Assert.Equal([sentinel], tap.Received.Select(d => d.EnvelopeMessageId));
    }

    /// <summary>
    /// Contexts are pooled. A transaction disposed without a commit rolls back; what it saved must not be handed to
    /// the dispatcher with the next commit of the same context instance.
    /// </summary>
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_transaction_disposed_without_commit_sends_nothing_with_the_next_commit_of_its_pooled_context(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database);

        // One context instance throughout, as a pooled one is handed to its next user (whose tracker starts empty).
        var (abandoned, sentinel) = await host.WithDbAsync(async db =>
        {
            Guid id;
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                id = Widgets.Add(db, tap.RunId, 1, "abandoned");
                await db.SaveChangesAsync();
            } // no commit, no rollback call: the transaction is disposed
            db.ChangeTracker.Clear();
            return (id, await Widgets.CommitAsync(db, tap.RunId, 2, "sentinel"));
        });
        await tap.WaitForAsync(sentinel);

        await using (var db = database.NewContext())
            Assert.Null(await Widgets.OutboxRowAsync(db, abandoned));
        var next = await OutboxChecks.CommitSentinelAsync(host, tap, 3);
        Assert.Equal([sentinel, next], tap.Received.Select(d => d.EnvelopeMessageId));
    }
}

/// <summary>No committed change without its event: published once, with the outbox's message id, also after a crash (then in commit order).</summary>
public sealed class OutboxDeliveryTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_committed_change_is_published_exactly_once_with_its_outbox_message_id(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database);

        var id = await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 1, "published"));

        var delivery = await tap.WaitForAsync(id);
        Assert.Equal(id.ToString(), delivery.AmqpMessageId);
        // Handed over by a commit of this process: stamped with its origin (ForeignEventsFilter leaves such events out).
        Assert.Equal(Messaging.EventOrigin.Process, delivery.Origin);
        Assert.Equal(("published", 1), (delivery.Name, delivery.Sequence));
        var row = await Probe.UntilAsync(
            async () => { await using var db = database.NewContext(); return await Widgets.OutboxRowAsync(db, id); },
            r => r?.DispatchedAt is not null, "the outbox row marked dispatched");
        Assert.Equal(0, row!.Attempts);
        Assert.Null(row.LastError);

        // A second publication of the same row would come before any later row.
        var sentinel = await OutboxChecks.CommitSentinelAsync(host, tap, 2);
        Assert.Equal([id, sentinel], tap.Received.Select(d => d.EnvelopeMessageId));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Events_committed_while_no_dispatcher_runs_are_all_published_in_commit_order_when_one_starts(Provider provider)
    {
        // More than one dispatcher batch (100).
        const int count = 105;
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The service committed, then crashed before publishing: only its database holds the events.
        List<Guid> committed;
        await using (var db = database.NewContext())
            committed = await OutboxChecks.CommitManyAsync(db, tap, count, "before-start");
        output.WriteLine($"{count} commits: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(count, await OutboxChecks.UndispatchedAsync(database));
        Assert.Empty(tap.Received);

        clock.Restart();
        await using var host = await TestHost.StartAsync(database);
        output.WriteLine($"host started: {clock.ElapsedMilliseconds} ms");
        await tap.WaitForCountAsync(count, TimeSpan.FromSeconds(20));
        output.WriteLine($"all published: {clock.ElapsedMilliseconds} ms");
        await Probe.UntilAsync(() => OutboxChecks.UndispatchedAsync(database), n => n == 0, "every outbox row marked dispatched");

        var sentinel = await OutboxChecks.CommitSentinelAsync(host, tap, count + 1);
        OutboxChecks.ReceivedInCommitOrder(tap, [.. committed, sentinel]);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_burst_of_commits_is_published_exactly_once(Provider provider)
    {
        // Commits faster than the broker confirms them: the dispatcher takes them in batches and starts each batch's
        // publishes before awaiting their confirms. Every event must arrive once, with its outbox id. Commit order is
        // what the dispatcher sends in, but the bus does not promise it for publishes in flight together (a clean-clone
        // run once received the second and third swapped); subscribers keep the highest version (docs/events.md).
        const int count = 400;
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database);

        var committed = await host.WithDbAsync(db => OutboxChecks.CommitManyAsync(db, tap, count, "burst"));
        await tap.WaitForCountAsync(count, TimeSpan.FromSeconds(30));
        await Probe.UntilAsync(() => OutboxChecks.UndispatchedAsync(database), n => n == 0, "every outbox row marked dispatched");

        // Nothing more comes: the sentinel is committed after every row was marked, so no copy of a burst event is still in flight.
        var sentinel = await OutboxChecks.CommitSentinelAsync(host, tap, count + 1);
        var received = tap.Received;
        Assert.Equal([.. committed.Order(), sentinel], [.. received.Take(count).Select(d => d.EnvelopeMessageId).Order(), received[^1].EnvelopeMessageId]);
        Assert.Equal(count + 1, received.Count);
        Assert.All(received, d => Assert.Equal(d.EnvelopeMessageId.ToString(), d.AmqpMessageId));
        var outOfOrder = received.Where((d, i) => d.Sequence != i + 1).Count();
        output.WriteLine($"{count} events, {outOfOrder} received away from their commit position");
    }
}

/// <summary>Marking published messages runs beside publishing: a slow or failing mark holds nothing up and loses nothing.</summary>
public sealed class OutboxMarkTests
{
    /// <summary>Holds the first mark of the outbox until released, then fails it.</summary>
    private sealed class HeldMark : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private int _marks;
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
                && command.CommandText.Contains("outbox_messages", StringComparison.Ordinal)
                && Interlocked.Increment(ref _marks) == 1)
            {
                Started.TrySetResult();
                await Release.Task;
                throw new InvalidOperationException("the first mark fails (test)");
            }
            return result;
        }
    }

    [Fact]
    public async Task A_held_mark_does_not_hold_up_the_next_event_and_a_failed_mark_is_made_again()
    {
        var held = new HeldMark();
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database, configureDatabase: o => o.AddInterceptors(held));

        var first = await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 1, "first"));
        await tap.WaitForAsync(first);
        await held.Started.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the mark of the first is held in the database

        // Published while that mark is still held.
        var second = await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, 2, "second"));
        await tap.WaitForAsync(second);
        Assert.False(held.Release.Task.IsCompleted);

        held.Release.SetResult();
        await Probe.UntilAsync(() => OutboxChecks.UndispatchedAsync(database), n => n == 0, "both rows marked after the failed mark");
        var sentinel = await OutboxChecks.CommitSentinelAsync(host, tap, 3);
        Assert.Equal([first, second, sentinel], tap.Received.Select(d => d.EnvelopeMessageId));
    }
}

/// <summary>What the fast path never sees: an event committed by another process (a replica that stopped before publishing it).</summary>
public sealed class OutboxSweepTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task An_event_another_process_committed_while_the_dispatcher_runs_is_published_by_the_sweep(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var tap = await EventTap.StartAsync(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database);
        var first = await OutboxChecks.CommitSentinelAsync(host, tap, 1);

        // Committed through a context of its own, not the host's: no hand-over, only the table holds it.
        Guid orphan;
        await using (var db = database.NewContext())
            orphan = await Widgets.CommitAsync(db, tap.RunId, 2, "orphan");

        var limit = OutboxDispatcher<TestDbContext>.SweepGrace + OutboxDispatcher<TestDbContext>.SweepInterval + TimeSpan.FromSeconds(5);
        var swept = await tap.WaitForAsync(orphan, limit);
        // The sweep cannot tell which process committed a row: it leaves the origin out, so every subscription receives it.
        Assert.Null(swept.Origin);
        await Probe.UntilAsync(() => OutboxChecks.UndispatchedAsync(database), n => n == 0, "the orphan marked dispatched");
        var last = await OutboxChecks.CommitSentinelAsync(host, tap, 3);
        Assert.Equal([first, orphan, last], tap.Received.Select(d => d.EnvelopeMessageId));
    }
}

internal static class OutboxChecks
{
    /// <summary>
    /// Commits one more event and waits for it. Once it has arrived, an earlier event that was going to be published
    /// (a second copy, or one that should never have been) would have arrived too: the dispatcher publishes in outbox
    /// order on one channel. So "nothing else arrived" needs no arbitrary wait.
    /// </summary>
    public static async Task<Guid> CommitSentinelAsync(TestHost host, EventTap tap, int sequence)
    {
        var id = await host.WithDbAsync(db => Widgets.CommitAsync(db, tap.RunId, sequence, $"sentinel-{sequence}"));
        await tap.WaitForAsync(id);
        return id;
    }

    /// <summary>Commits <paramref name="count"/> events one after another, numbered from 1; returns their ids in commit order.</summary>
    public static async Task<List<Guid>> CommitManyAsync(OutboxTestDbContext db, EventTap tap, int count, string name)
    {
        var committed = new List<Guid>(count);
        for (var i = 1; i <= count; i++) committed.Add(await Widgets.CommitAsync(db, tap.RunId, i, $"{name}-{i}"));
        return committed;
    }

    /// <summary>Exactly <paramref name="committed"/> arrived, in that order (their sequence numbers 1, 2, ...).</summary>
    public static void ReceivedInCommitOrder(EventTap tap, IReadOnlyList<Guid> committed)
    {
        var received = tap.Received;
        Assert.Equal(committed, received.Select(d => d.EnvelopeMessageId));
        Assert.Equal(Enumerable.Range(1, committed.Count), received.Select(d => d.Sequence));
    }

    public static async Task<int> UndispatchedAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await db.OutboxMessages.CountAsync(m => m.DispatchedAt == null);
    }

    public static bool IsUniqueViolation(DbUpdateException error) => error.InnerException switch
    {
        SqliteException e => e.SqliteErrorCode == 19 && e.Message.Contains("UNIQUE", StringComparison.Ordinal), // SQLITE_CONSTRAINT
        PostgresException e => e.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}

/// <summary>The outbox is not an archive: published rows go once <see cref="RetentionOptions.OutboxPublished"/> has passed, nothing else does.</summary>
public sealed class OutboxPurgeTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Rows_published_longer_ago_than_kept_are_deleted_and_no_other_row(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        // Ids in store order: the recent row sits between two old ones.
        var oldFirst = Row(now.AddDays(-10), now.AddDays(-9));
        var recent = Row(now.AddDays(-10), now.AddDays(-1));
        var oldSecond = Row(now.AddDays(-9), now.AddDays(-8));
        // Never published (its type is unknown, so it cannot be), however old: it must stay for the sweep and its operator.
        var unpublished = Row(now.AddDays(-30), null, "PerfPlatform.Nowhere.Gone, Nowhere");
        await using (var db = database.NewContext())
        {
            db.OutboxMessages.AddRange(oldFirst, recent, oldSecond, unpublished);
            db.Set<OutboxDeadLetter>().Add(new OutboxDeadLetter
            {
                MessageId = Guid.NewGuid(), Type = "x", Payload = "{}", OccurredAt = now.AddDays(-30), Reason = "test", DeadLetteredAt = now.AddDays(-30),
            });
            await db.SaveChangesAsync();
        }

        // The dispatcher brings MessageRetention, with its default of 7 days for published rows.
        await using var host = await TestHost.StartAsync(database, services: s =>
        {
            s.Configure<RetentionOptions>(o => o.Interval = TimeSpan.FromMilliseconds(100));
            s.Configure<OutboxOptions>(o => o.MaxAttempts = 1000); // the unpublishable row stays in the outbox for the whole test
        });

        var left = await Probe.UntilAsync(async () =>
        {
            await using var db = database.NewContext();
            return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).Select(m => m.MessageId).ToListAsync();
        }, ids => !ids.Contains(oldFirst.MessageId) && !ids.Contains(oldSecond.MessageId), "the rows published 8 and 9 days ago deleted");
        Assert.Equal([recent.MessageId, unpublished.MessageId], left);
        await using (var db = database.NewContext())
            Assert.Equal(1, await db.Set<OutboxDeadLetter>().CountAsync());
    }

    private static OutboxMessage Row(DateTimeOffset occurred, DateTimeOffset? dispatched, string type = "PerfPlatform.Test.Old, Test") => new()
    {
        MessageId = Guid.NewGuid(), Type = type, Payload = "{}", OccurredAt = occurred, DispatchedAt = dispatched,
    };
}
