using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PerfPlatform.BuildingBlocks.Outbox;

/// <summary>
/// Wakes a dispatcher as soon as a commit to its database may have stored events, so they do not wait for the next
/// poll. One per host: a host running several services (embedded/Embedded.Host) has one dispatcher per service
/// database, and a commit wakes the dispatcher of that database, not whichever happens to be waiting.
/// </summary>
public sealed class OutboxSignal
{
    private readonly ConcurrentDictionary<Type, SemaphoreSlim> _pending = new();

    /// <summary>From now on, counts the commits to <typeparamref name="TContext"/> (the dispatcher calls it before its first read).</summary>
    public void Subscribe<TContext>() where TContext : DbContext => Pending(typeof(TContext));

    public void Notify(DbContext context)
    {
        foreach (var (type, pending) in _pending)
        {
            if (type.IsInstanceOfType(context) && pending.CurrentCount == 0) pending.Release();
        }
    }

    /// <summary>True when a commit to <typeparamref name="TContext"/> came since the last wait, or comes within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync<TContext>(TimeSpan timeout, CancellationToken ct) where TContext : DbContext =>
        Pending(typeof(TContext)).WaitAsync(timeout, ct);

    private SemaphoreSlim Pending(Type context) => _pending.GetOrAdd(context, _ => new SemaphoreSlim(0, int.MaxValue));
}

/// <summary>
/// Signals the dispatcher after a save outside a transaction and after every commit of a service
/// database with an outbox. Stateless, so one instance serves every context.
/// </summary>
public sealed class OutboxSaveChangesInterceptor(OutboxSignal signal) : IDbTransactionInterceptor, ISaveChangesInterceptor
{
    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SavedChanges(eventData, result);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is IOutboxDbContext && eventData.Context.Database.CurrentTransaction is null)
            signal.Notify(eventData.Context);
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is IOutboxDbContext) signal.Notify(eventData.Context);
    }
}
