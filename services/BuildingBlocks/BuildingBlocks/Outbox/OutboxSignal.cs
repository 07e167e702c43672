using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PerfPlatform.BuildingBlocks.Outbox;

/// <summary>Wakes the dispatcher as soon as a commit may have stored events, so they do not wait for the next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _pending = new(0, int.MaxValue);

    public void Notify()
    {
        if (_pending.CurrentCount == 0) _pending.Release();
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _pending.WaitAsync(timeout, ct);
}

/// <summary>
/// Signals the dispatcher after a save outside a transaction and after every commit of a service
/// database with an outbox. Stateless, so one instance serves every context.
/// </summary>
public sealed class OutboxSaveChangesInterceptor(OutboxSignal signal) : IDbTransactionInterceptor, ISaveChangesInterceptor
{
    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is IOutboxDbContext && eventData.Context.Database.CurrentTransaction is null)
            signal.Notify();
        return ValueTask.FromResult(result);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is IOutboxDbContext) signal.Notify();
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is IOutboxDbContext) signal.Notify();
    }
}
