using System.Reflection;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerfPlatform.BuildingBlocks.Messaging;

namespace PerfPlatform.BuildingBlocks.Outbox;

/// <summary>
/// Publishes a service's committed outbox messages to the bus and marks them dispatched once the broker has
/// accepted them (RabbitMQ publisher confirms). A crash between publish and mark means a redelivery, which
/// consumers drop: at-least-once delivery, exactly-once effect.
/// <para>
/// Two paths. The fast one: a commit hands its messages over in memory (<see cref="OutboxSignal"/>), and they are
/// published at once, in commit order, without reading them back, and marked together a moment later (in the background:
/// publishing does not wait for that statement). The sweep:
/// at start and then every few seconds, whatever is still unmarked (committed by a process that stopped, or not
/// published because the broker was away) is read back and published in store order.
/// </para>
/// <para>
/// Nothing waits forever: every publish and its confirm has a timeout (<see cref="OutboxOptions.PublishTimeout"/>), a
/// failure leaves the rows to the sweep, which retries every second, and publishing that keeps failing for
/// <see cref="OutboxOptions.RestartBusAfter"/> replaces the publishing bus (<see cref="OutboxPublisher"/>), so a connection that looks alive but moves nothing is
/// replaced. A row that cannot be published for a reason of its own (its type or payload cannot be read or serialized)
/// is passed over, so the rows behind it flow, and after <see cref="OutboxOptions.MaxAttempts"/> such failures it moves
/// to the dead-letter table.
/// </para>
/// </summary>
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    OutboxPublisher publisher,
    OutboxSignal signal,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext, IOutboxDbContext
{
    /// <summary>How often the sweep looks for messages the fast path did not publish.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);
    /// <summary>The sweep leaves younger messages to the fast path, which is about to publish them.</summary>
    public static readonly TimeSpan SweepGrace = TimeSpan.FromSeconds(5);
    private const int BatchSize = 200;
    /// <summary>
    /// Published messages are marked together, at most this long after publishing: one statement for many under load.
    /// A crash in between republishes them, which consumers drop.
    /// </summary>
    private static readonly TimeSpan MarkDelay = TimeSpan.FromMilliseconds(250);
    private readonly List<long> _published = [];
    /// <summary>Message types published since the last failure: the bus sends them without first waiting for anything.</summary>
    private readonly HashSet<Type> _ready = [];
    private DateTimeOffset _markDue = DateTimeOffset.MaxValue;
    /// <summary>The mark under way, in the background: publishing goes on meanwhile, not held up by the database.</summary>
    private Task _marking = Task.CompletedTask;
    private List<long>? _markingIds;
    /// <summary>Since when every publish has failed; null while publishing works.</summary>
    private DateTimeOffset? _failingSince;
    private readonly string _name = typeof(TContext).Name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Take commits from before the first sweep, so that none made during it is missed.
        signal.Subscribe<TContext>();

        // Every hosted service, the bus included, has started once the application has.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try { await started.Task; }
            catch (OperationCanceledException) { return; }
        }

        var nextSweep = clock.GetUtcNow(); // at once: what an earlier run left, whatever its age
        var firstSweep = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishCommittedAsync(stoppingToken) == BatchSize) { }
                if (clock.GetUtcNow() >= _markDue) await StartMarkingAsync(stoppingToken);
                if (clock.GetUtcNow() >= nextSweep)
                {
                    await MarkPublishedAsync(stoppingToken); // the sweep must not take what was just published
                    while (await SweepAsync(firstSweep ? TimeSpan.Zero : SweepGrace, stoppingToken) == BatchSize) { }
                    firstSweep = false;
                    nextSweep = clock.GetUtcNow() + SweepInterval;
                }
                var wait = (_markDue < nextSweep ? _markDue : nextSweep) - clock.GetUtcNow();
                if (wait > TimeSpan.Zero) await signal.WaitAsync<TContext>(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // What was handed over stays unmarked in the table: the sweep publishes it once the bus is back.
                while (signal.TryTakeCommitted<TContext>(out _)) { }
                logger.LogWarning(ex, "Outbox dispatch of {Context} failed; retrying", _name);
                try
                {
                    await RestartBusIfFailingLongAsync(stoppingToken);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException) { break; }
            }
        }

        // Stopping: mark what was published, so a restart does not publish it again (harmless, but noise).
        try { await AwaitMarkingAsync(); }
        catch { /* cancelled with the loop, or failed: its messages are back in the list, marked just below */ }
        try { await MarkPublishedAsync(CancellationToken.None); }
        catch (Exception ex) { logger.LogWarning(ex, "Could not mark the last published outbox messages of {Context}", typeof(TContext).Name); }
    }

    /// <summary>Publishes up to one batch of the messages commits handed over; returns how many it took.</summary>
    private async Task<int> PublishCommittedAsync(CancellationToken ct)
    {
        var batch = new List<OutboxMessage>();
        while (batch.Count < BatchSize && signal.TryTakeCommitted<TContext>(out var message)) batch.Add(message);
        if (batch.Count == 0) return 0;

        // Started in commit order before their confirms are awaited, so one broker round trip confirms many. One at a
        // time (session 9) capped publishing at one confirm per round trip: under load the events queued behind each
        // other's confirms, seconds deep (docs/benchmarks.md, session 10). The price: the bus does not promise that
        // publishes in flight together reach the broker in the order started (a clean-clone run once received the
        // second and third of a burst swapped), which subscribers absorb by keeping the highest version (docs/events.md).
        // The first of a type goes alone: until the bus is ready to send it, every publish waits on the same thing.
        var publishes = new List<(OutboxMessage Message, Task Publish)>(batch.Count);
        Exception? failure = null;
        foreach (var message in batch)
        {
            var type = message.Body().Type;
            var first = !_ready.Contains(type);
            if (first && (failure = await ConfirmAsync(publishes)) is not null) break;
            publishes.Add((message, PublishAsync(message, ct, committedHere: true)));
            if (!first) continue;
            if ((failure = await ConfirmAsync(publishes)) is not null) break;
            _ready.Add(type);
        }
        failure ??= await ConfirmAsync(publishes);
        if (failure is not null) _ready.Clear(); // the bus may be reconnecting: warm up again
        if (_published.Count > 0 && _markDue == DateTimeOffset.MaxValue) _markDue = clock.GetUtcNow() + MarkDelay;
        if (failure is not null) throw failure;
        return batch.Count;
    }

    /// <summary>Publishes and awaits the broker's confirm, within <see cref="OutboxOptions.PublishTimeout"/>: a timeout is a broker failure.</summary>
    /// <param name="committedHere">
    /// Handed over by a commit of this process: stamped with <see cref="EventOrigin.Header"/>, so that this process's own
    /// subscriptions that have seen it already can leave it out (<see cref="ForeignEventsFilter"/>). The sweep's messages
    /// may have been committed by a process that stopped, and go unstamped.
    /// </param>
    private async Task PublishAsync(OutboxMessage message, CancellationToken ct, bool committedHere)
    {
        var (body, type) = message.Body();
        var timeout = options.Value.PublishTimeout;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            // The token asks the bus to give up; the publisher's WaitAsync makes sure we stop waiting even if it does not.
            await publisher.PublishAsync(body, type, committedHere ? StampedHere(message.MessageId) : ctx => ctx.MessageId = message.MessageId,
                timeout, limit.Token);
            _failingSince = null;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            OutboxMetrics.PublishFailures.Add(1, OutboxMetrics.Tag(_name));
            if (IsPoison(ex)) throw;
            _failingSince ??= clock.GetUtcNow();
            if (ex is OperationCanceledException or TimeoutException)
                throw new TimeoutException($"publish of outbox message {message.Id} not confirmed within {timeout.TotalSeconds:0.#} s", ex);
            throw;
        }
    }

    private static Action<PublishContext> StampedHere(Guid messageId) => ctx =>
    {
        ctx.MessageId = messageId;
        ctx.Headers.Set(EventOrigin.Header, EventOrigin.Process);
    };

    private async Task RestartBusIfFailingLongAsync(CancellationToken ct)
    {
        if (_failingSince is not { } since || clock.GetUtcNow() - since < options.Value.RestartBusAfter) return;
        logger.LogWarning("Publishing from the outbox of {Context} has failed since {Since:O}: replacing the publishing bus", _name, since);
        await publisher.RecreateAsync();
        _failingSince = clock.GetUtcNow(); // another full period before the next restart
    }

    /// <summary>
    /// A failure of the row itself, not of the broker: it cannot be read back (unknown type, bad payload) or serialized.
    /// Such a row would fail forever; anything else may succeed once the broker answers again.
    /// </summary>
    internal static bool IsPoison(Exception ex) => ex is TypeLoadException or FileNotFoundException or FileLoadException
        or System.Text.Json.JsonException or NotSupportedException or ArgumentException
        || ex.GetType().Name == "SerializationException" // MassTransit's and the runtime's
        || (ex is TargetInvocationException { InnerException: { } inner } && IsPoison(inner));

    /// <summary>Awaits the publishes started, in order; the confirmed ones are to be marked. Returns the first failure.</summary>
    private async Task<Exception?> ConfirmAsync(List<(OutboxMessage Message, Task Publish)> publishes)
    {
        Exception? failure = null;
        foreach (var (message, publish) in publishes)
        {
            try
            {
                await publish;
                _published.Add(message.Id);
            }
            catch (Exception ex)
            {
                // Left unmarked for the sweep. Consumers keep the newest version, so a later event confirmed first is harmless.
                failure ??= ex;
            }
        }
        publishes.Clear();
        return failure;
    }

    /// <summary>Marks what was published, and waits for it.</summary>
    private async Task MarkPublishedAsync(CancellationToken ct)
    {
        await StartMarkingAsync(ct);
        await AwaitMarkingAsync();
    }

    /// <summary>
    /// Starts marking what was published and returns without waiting for the database: a slow statement (under load,
    /// or while the table is vacuumed) must not hold up the events committed meanwhile. Waits for the previous mark first.
    /// </summary>
    private async Task StartMarkingAsync(CancellationToken ct)
    {
        await AwaitMarkingAsync();
        if (_published.Count == 0) return;
        _markingIds = [.. _published];
        _published.Clear();
        _markDue = DateTimeOffset.MaxValue;
        _marking = MarkAsync(_markingIds, ct);
    }

    /// <summary>Waits for the mark under way; if it failed, its messages are marked again with the next ones, and the failure is thrown.</summary>
    private async Task AwaitMarkingAsync()
    {
        try
        {
            await _marking;
        }
        catch
        {
            _published.InsertRange(0, _markingIds ?? []);
            _markDue = clock.GetUtcNow();
            throw;
        }
        finally
        {
            _marking = Task.CompletedTask;
            _markingIds = null;
        }
    }

    /// <summary>Publishes up to one batch of unmarked messages older than <paramref name="grace"/>, in store order; returns how many it read.</summary>
    private async Task<int> SweepAsync(TimeSpan grace, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var before = clock.GetUtcNow() - grace;
        var pending = await db.OutboxMessages
            .Where(m => m.DispatchedAt == null)
            .OrderBy(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
        // Filtered here, not in SQL: SQLite cannot compare the DateTimeOffset column. The pending rows are few.
        pending = pending.TakeWhile(m => m.OccurredAt <= before).ToList();

        // Publish in order and mark the batch in one commit. A broker failure stops the batch, keeping commit order:
        // later messages are not published before this one. A row failing for a reason of its own is passed over (and
        // after MaxAttempts dead-lettered): the rest flow, and subscribers keep the highest version (docs/reliability.md).
        foreach (var message in pending)
        {
            try
            {
                await PublishAsync(message, ct, committedHere: false);
                message.DispatchedAt = clock.GetUtcNow();
                message.LastError = null;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && IsPoison(ex))
            {
                message.Attempts++;
                message.LastError = Truncate($"{ex.GetType().Name}: {ex.Message}", 1000);
                if (message.Attempts >= options.Value.MaxAttempts) DeadLetter(db, message);
                else logger.LogWarning(ex, "Outbox message {Id} of {Context} cannot be published (attempt {Attempts} of {Max})",
                    message.Id, _name, message.Attempts, options.Value.MaxAttempts);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                message.LastError = Truncate($"{ex.GetType().Name}: {ex.Message}", 1000);
                await db.SaveChangesAsync(ct);
                throw;
            }
        }
        if (pending.Count > 0) await db.SaveChangesAsync(ct);
        return pending.Count;
    }

    private void DeadLetter(TContext db, OutboxMessage message)
    {
        db.Set<OutboxDeadLetter>().Add(new OutboxDeadLetter
        {
            MessageId = message.MessageId, Type = message.Type, Payload = message.Payload, OccurredAt = message.OccurredAt,
            Attempts = message.Attempts, Reason = Truncate(message.LastError ?? "unknown", 2000), DeadLetteredAt = clock.GetUtcNow(),
        });
        db.OutboxMessages.Remove(message);
        OutboxMetrics.DeadLettered.Add(1, OutboxMetrics.Tag(_name));
        logger.LogError("Outbox message {Id} ({MessageId}, {Type}) of {Context} dead-lettered after {Attempts} attempts: {Reason}",
            message.Id, message.MessageId, message.Type, _name, message.Attempts, message.LastError);
    }

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;

    private async Task MarkAsync(List<long> ids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = clock.GetUtcNow();
        await db.OutboxMessages.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.DispatchedAt, now), ct);
    }
}
