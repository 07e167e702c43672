using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PerfPlatform.BuildingBlocks.Inbox;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.BuildingBlocks.Tests.Events;
using PerfPlatform.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>A consumer's unit of work, as PlanChangeApplier does it: the inbox check, the effect and the inbox record, saved together.</summary>
public static class EffectApplier
{
    /// <returns>Whether the effect was applied (false: the message was already processed by this consumer).</returns>
    public static async Task<bool> ApplyAsync(OutboxTestDbContext db, Guid messageId, string consumer, CancellationToken ct = default)
    {
        if (await db.AlreadyProcessedAsync(messageId, consumer, DateTimeOffset.UtcNow, ct)) return false;
        db.Effects.Add(new Effect { MessageId = messageId, Consumer = consumer });
        await db.SaveChangesAsync(ct);
        return true;
    }

    public static async Task<bool> ApplyAsync(TestDatabase database, Guid messageId, string consumer)
    {
        await using var db = database.NewContext();
        return await ApplyAsync(db, messageId, consumer);
    }

    public static async Task<Dictionary<(Guid MessageId, string Consumer), int>> EffectsAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return (await db.Effects.AsNoTracking().ToListAsync())
            .GroupBy(e => (e.MessageId, e.Consumer)).ToDictionary(g => g.Key, g => g.Count());
    }

    public static bool IsInboxPrimaryKeyViolation(DbUpdateException error) => error.InnerException switch
    {
        SqliteException e => e.SqliteExtendedErrorCode == 1555 && e.Message.Contains("inbox_messages", StringComparison.Ordinal), // SQLITE_CONSTRAINT_PRIMARYKEY
        PostgresException e => e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "PK_inbox_messages",
        _ => false,
    };
}

public sealed class InboxTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_message_processed_twice_by_a_consumer_has_its_effect_once_and_another_consumer_is_independent(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var message = Guid.NewGuid();
        var other = Guid.NewGuid();

        Assert.True(await EffectApplier.ApplyAsync(database, message, "first"));
        Assert.False(await EffectApplier.ApplyAsync(database, message, "first"));
        Assert.True(await EffectApplier.ApplyAsync(database, message, "second"));
        Assert.False(await EffectApplier.ApplyAsync(database, message, "second"));
        Assert.True(await EffectApplier.ApplyAsync(database, other, "first"));
        Assert.False(await EffectApplier.ApplyAsync(database, other, "first"));

        var effects = await EffectApplier.EffectsAsync(database);
        Assert.Equal(
            new Dictionary<(Guid, string), int> { [(message, "first")] = 1, [(message, "second")] = 1, [(other, "first")] = 1 },
            effects);
        await using var db = database.NewContext();
        Assert.Equal(3, await db.InboxMessages.CountAsync());
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task An_effect_that_fails_to_save_leaves_no_inbox_record_so_the_retry_applies_it(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var db = database.NewContext())
        {
            db.Widgets.Add(new Widget { Name = "taken" });
            await db.SaveChangesAsync();
        }
        var message = Guid.NewGuid();

        await using (var db = database.NewContext())
        {
            Assert.False(await db.AlreadyProcessedAsync(message, "consumer", DateTimeOffset.UtcNow, CancellationToken.None));
            db.Effects.Add(new Effect { MessageId = message, Consumer = "consumer" });
            db.Widgets.Add(new Widget { Name = "taken" }); // the effect fails
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        Assert.True(await EffectApplier.ApplyAsync(database, message, "consumer"), "the failed attempt must not count as processed");
        Assert.False(await EffectApplier.ApplyAsync(database, message, "consumer"));
        Assert.Equal(new Dictionary<(Guid, string), int> { [(message, "consumer")] = 1 }, await EffectApplier.EffectsAsync(database));
    }

    /// <summary>
    /// Two deliveries of one message at once (a redelivery while the first is still being processed, on two replicas):
    /// both find no inbox record, both apply the effect, both save. The primary key lets one commit; the other fails,
    /// and on retry finds the record.
    /// </summary>
    [Theory]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.Sqlite)]
    public async Task Two_concurrent_attempts_with_the_same_id_one_commits_the_other_fails_on_the_primary_key_and_finds_the_record_on_retry(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var message = Guid.NewGuid();
        const string consumer = "consumer";
        var checkedCount = 0;
        var bothChecked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<DbUpdateException?> AttemptAsync()
        {
            await using var db = database.NewContext();
            var already = await db.AlreadyProcessedAsync(message, consumer, DateTimeOffset.UtcNow, CancellationToken.None);
            if (Interlocked.Increment(ref checkedCount) == 2) bothChecked.SetResult();
            Assert.False(already);
            db.Effects.Add(new Effect { MessageId = message, Consumer = consumer });
            await bothChecked.Task.WaitAsync(TimeSpan.FromSeconds(10));
            try
            {
                await db.SaveChangesAsync();
                return null;
            }
            catch (DbUpdateException e)
            {
                return e;
            }
        }

        var outcomes = await Task.WhenAll(Task.Run(AttemptAsync), Task.Run(AttemptAsync));

        var failure = Assert.Single(outcomes, o => o is not null)!;
        Assert.Single(outcomes, o => o is null);
        Assert.True(EffectApplier.IsInboxPrimaryKeyViolation(failure), $"expected the inbox primary key to refuse the second, got: {failure.InnerException?.Message ?? failure.Message}");
        Assert.Equal(new Dictionary<(Guid, string), int> { [(message, consumer)] = 1 }, await EffectApplier.EffectsAsync(database));

        // The retry, in a new unit of work, finds the winner's record and changes nothing.
        Assert.False(await EffectApplier.ApplyAsync(database, message, consumer));
        Assert.Equal(new Dictionary<(Guid, string), int> { [(message, consumer)] = 1 }, await EffectApplier.EffectsAsync(database));
    }
}

/// <summary>What the inbox consumers in <see cref="InboxOverRabbitMqTests"/> did, per message.</summary>
public sealed class InboxJournal(Guid runId)
{
    public Guid RunId { get; } = runId;
    public ConcurrentQueue<(Guid MessageId, string Consumer, bool Applied)> Completed { get; } = new();
    public ConcurrentQueue<string> Failures { get; } = new();
}

/// <summary>A MassTransit consumer with an inbox: <see cref="EffectApplier"/> in the scope of the message.</summary>
public abstract class EffectConsumer(TestDbContext db, InboxJournal journal, string name) : IConsumer<WidgetEffectRequested>
{
    public async Task Consume(ConsumeContext<WidgetEffectRequested> context)
    {
        if (context.Message.RunId != journal.RunId) return;
        var messageId = context.MessageId ?? throw new InvalidOperationException("no MessageId");
        try
        {
            var applied = await EffectApplier.ApplyAsync(db, messageId, name, context.CancellationToken);
            journal.Completed.Enqueue((messageId, name, applied));
        }
        catch (Exception e)
        {
            journal.Failures.Enqueue($"{name} {messageId} attempt {context.GetRetryAttempt()}: {e.GetType().Name} {e.InnerException?.Message ?? e.Message}");
            throw; // the bus retries (UseMessageRetry in AddPlatformMessaging)
        }
    }
}

public sealed class FirstEffectConsumer(TestDbContext db, InboxJournal journal) : EffectConsumer(db, journal, Name)
{
    public const string Name = "bb-tests.first";
}

public sealed class SecondEffectConsumer(TestDbContext db, InboxJournal journal) : EffectConsumer(db, journal, Name)
{
    public const string Name = "bb-tests.second";
}

/// <summary>The inbox under real delivery: the same message published twice to RabbitMQ, two consumers each with its own queue.</summary>
public sealed class InboxOverRabbitMqTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_redelivered_message_changes_nothing_and_each_consumer_applies_it_once(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var journal = new InboxJournal(Guid.NewGuid());
        await using var host = await TestHost.StartAsync(database, dispatcher: false,
            services: s => s.AddSingleton(journal),
            consumers: x =>
            {
                x.AddConsumer<FirstEffectConsumer>().Endpoint(e => { e.Name = $"bb-tests.first.{journal.RunId:N}"; e.Temporary = true; });
                x.AddConsumer<SecondEffectConsumer>().Endpoint(e => { e.Name = $"bb-tests.second.{journal.RunId:N}"; e.Temporary = true; });
            });
        var bus = host.Host.Services.GetRequiredService<IBus>();

        // The same message id twice (what the outbox does after a crash between publish and mark), then another message.
        var message = Guid.NewGuid();
        var other = Guid.NewGuid();
        await bus.Publish(new WidgetEffectRequested(journal.RunId, "once"), c => c.MessageId = message);
        await bus.Publish(new WidgetEffectRequested(journal.RunId, "once"), c => c.MessageId = message);
        await bus.Publish(new WidgetEffectRequested(journal.RunId, "other"), c => c.MessageId = other);

        await Probe.UntilAsync(() => Task.FromResult(journal.Completed.Count), n => n >= 6,
            $"both consumers to finish three deliveries each (failures: {string.Join("; ", journal.Failures)})");

        foreach (var failure in journal.Failures) output.WriteLine($"failed, retried: {failure}");
        foreach (var consumer in new[] { FirstEffectConsumer.Name, SecondEffectConsumer.Name })
        {
            var done = journal.Completed.Where(c => c.Consumer == consumer).ToList();
            Assert.Equal([false, true], done.Where(c => c.MessageId == message).Select(c => c.Applied).Order());
            Assert.Equal([true], done.Where(c => c.MessageId == other).Select(c => c.Applied));
        }
        Assert.Equal(new Dictionary<(Guid, string), int>
        {
            [(message, FirstEffectConsumer.Name)] = 1,
            [(message, SecondEffectConsumer.Name)] = 1,
            [(other, FirstEffectConsumer.Name)] = 1,
            [(other, SecondEffectConsumer.Name)] = 1,
        }, await EffectApplier.EffectsAsync(database));
    }
}

/// <summary>The inbox forgets what is older than Retention:Inbox, and nothing younger.</summary>
public sealed class InboxRetentionTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Records_older_than_kept_are_deleted_and_younger_ones_stay(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        // Whole seconds beside fractions: on SQLite the times are compared as text.
        var old = Record("old", new DateTimeOffset(now.AddDays(-40).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero));
        var justOld = Record("just-old", now.AddDays(-30).AddMinutes(-1));
        var justKept = Record("just-kept", new DateTimeOffset(now.AddDays(-30).AddMinutes(1).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero));
        var fresh = Record("fresh", now);
        await using (var db = database.NewContext())
        {
            db.InboxMessages.AddRange(old, justOld, justKept, fresh);
            await db.SaveChangesAsync();
        }

        // Without the outbox dispatcher: MessageRetention alone, with its default of 30 days for inbox records.
        await using var host = await TestHost.StartAsync(database, dispatcher: false, services: s =>
        {
            s.AddMessageRetention<TestDbContext>();
            s.Configure<RetentionOptions>(o => o.Interval = TimeSpan.FromMilliseconds(100));
        });

        var left = await Probe.UntilAsync(async () =>
        {
            await using var db = database.NewContext();
            return (await db.InboxMessages.AsNoTracking().Select(m => m.Consumer).ToListAsync()).Order().ToList();
        }, consumers => !consumers.Contains("old") && !consumers.Contains("just-old"), "the records older than 30 days deleted");
        Assert.Equal(["fresh", "just-kept"], left);
    }

    private static InboxMessage Record(string consumer, DateTimeOffset processedAt) =>
        new() { MessageId = Guid.NewGuid(), Consumer = consumer, ProcessedAt = processedAt };
}
