using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PerfPlatform.BuildingBlocks.Outbox;

/// <summary>
/// Hands a service database's freshly committed outbox messages to its dispatcher, and wakes it, so they are
/// published at once without reading them back. One per host: a host running several services
/// (embedded/Embedded.Host) has one dispatcher per service database, and a commit goes to the dispatcher of that
/// database, not whichever happens to be waiting. The messages also stay in the table, unpublished until the
/// dispatcher marks them, so nothing is lost if the process stops first.
/// </summary>
public sealed class OutboxSignal
{
    private sealed class Subscription
    {
        public SemaphoreSlim Pending { get; } = new(0, int.MaxValue);
        public ConcurrentQueue<OutboxMessage> Committed { get; } = new();
    }

    private readonly ConcurrentDictionary<Type, Subscription> _subscriptions = new();

    /// <summary>From now on, takes the commits to <typeparamref name="TContext"/> (the dispatcher calls it before its first read).</summary>
    public void Subscribe<TContext>() where TContext : DbContext => For(typeof(TContext));

    /// <summary>A commit to <paramref name="context"/> stored <paramref name="committed"/> (in store order).</summary>
    public void Notify(DbContext context, IReadOnlyList<OutboxMessage>? committed = null)
    {
        foreach (var (type, subscription) in _subscriptions)
        {
            if (!type.IsInstanceOfType(context)) continue;
            if (committed is not null)
                foreach (var message in committed) subscription.Committed.Enqueue(message);
            if (subscription.Pending.CurrentCount == 0) subscription.Pending.Release();
        }
    }

    /// <summary>True when a commit to <typeparamref name="TContext"/> came since the last wait, or comes within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync<TContext>(TimeSpan timeout, CancellationToken ct) where TContext : DbContext =>
        For(typeof(TContext)).Pending.WaitAsync(timeout, ct);

    /// <summary>Takes the next committed message handed over for <typeparamref name="TContext"/>, in commit order.</summary>
    public bool TryTakeCommitted<TContext>(out OutboxMessage message) where TContext : DbContext =>
        For(typeof(TContext)).Committed.TryDequeue(out message!);

    private Subscription For(Type context) => _subscriptions.GetOrAdd(context, _ => new Subscription());
}

/// <summary>
/// Follows each save of a service database with an outbox: the outbox messages a save inserts are handed to the
/// <see cref="OutboxSignal"/> once they are committed (at once for a save outside a transaction, at the commit for
/// one inside), and dropped if the save fails or the transaction rolls back. Stateless apart from what a context
/// has saved but not yet committed, so one instance serves every context.
/// </summary>
public sealed class OutboxSaveChangesInterceptor(OutboxSignal signal) : IDbTransactionInterceptor, ISaveChangesInterceptor
{
    private sealed class Pending
    {
        /// <summary>Added by the save under way.</summary>
        public List<OutboxMessage> Saving { get; } = [];
        /// <summary>Saved inside a transaction of the caller's, not committed yet: handed over at that transaction's commit.</summary>
        public List<OutboxMessage> Saved { get; } = [];
        public Guid? Transaction { get; set; }
    }

    private readonly ConditionalWeakTable<DbContext, Pending> _pending = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Failed(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Failed(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Committed(eventData.Context, eventData.TransactionId);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context, eventData.TransactionId);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Drop(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>Messages a context committed past SaveChanges (<see cref="Persistence.RowBatch"/>), outside any transaction.</summary>
    internal void HandOver(DbContext context, IReadOnlyList<OutboxMessage> committed) => signal.Notify(context, committed);

    private void Capture(DbContext? context)
    {
        if (context is not IOutboxDbContext) return;
        var pending = _pending.GetValue(context, _ => new Pending());
        pending.Saving.Clear();
        // What was saved under a transaction that is no longer the current one never committed (a disposed transaction
        // rolls back): it must not ride along with a later commit, e.g. of a pooled context's next user.
        if (pending.Transaction != context.Database.CurrentTransaction?.TransactionId)
        {
            pending.Saved.Clear();
            pending.Transaction = null;
        }
        // The outbox is only ever added to, so its new rows are already marked Added: no need to scan every tracked
        // entity for changes first (SaveChanges does that once, after this).
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in tracker.Entries<OutboxMessage>())
                if (entry.State == EntityState.Added) pending.Saving.Add(entry.Entity);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is not IOutboxDbContext || !_pending.TryGetValue(context, out var pending)) return;
        var transaction = context.Database.CurrentTransaction?.TransactionId;
        if (transaction is null)
        {
            // Outside a transaction of the caller's the save has committed (EF's own transaction, if any, is over).
            var committed = pending.Saving.OrderBy(m => m.Id).ToList();
            pending.Saving.Clear();
            signal.Notify(context, committed);
            return;
        }
        foreach (var message in pending.Saving)
            if (!pending.Saved.Contains(message)) pending.Saved.Add(message);
        pending.Saving.Clear();
        pending.Transaction = transaction;
    }

    private void Failed(DbContext? context)
    {
        if (context is not IOutboxDbContext || !_pending.TryGetValue(context, out var pending)) return;
        pending.Saving.Clear();
    }

    private void Committed(DbContext? context, Guid transaction)
    {
        if (context is not IOutboxDbContext) return;
        List<OutboxMessage>? committed = null;
        if (_pending.TryGetValue(context, out var pending))
        {
            if (pending.Transaction == transaction && pending.Saved.Count > 0)
                committed = pending.Saved.OrderBy(m => m.Id).ToList();
            pending.Saved.Clear();
            pending.Transaction = null;
        }
        signal.Notify(context, committed);
    }

    private void Drop(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending)) return;
        pending.Saving.Clear();
        pending.Saved.Clear();
        pending.Transaction = null;
    }
}
