using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.BuildingBlocks.Batching;
using PerfPlatform.IntegrationEvents;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// Group commit for Scoring: the plan changes of a year that arrive while the previous batch is being applied go
/// into one transaction, in arrival order, each with its own inbox record and recalculation. A consumer's message
/// is acknowledged only once its batch is committed. If a batch fails, its changes are applied one by one, so a
/// single bad message fails (and is retried) alone.
/// </summary>
public sealed class PlanChangeBatcher
{
    private readonly IServiceScopeFactory _scopes;
    private readonly KeyedBatchQueue<int, Item> _years;

    public PlanChangeBatcher(IServiceScopeFactory scopes)
    {
        _scopes = scopes;
        _years = new KeyedBatchQueue<int, Item>(ApplyBatchAsync);
    }

    private sealed record Item(PlanChanged Change, Guid MessageId, TaskCompletionSource Done);

    public Task ApplyAsync(PlanChanged change, Guid messageId)
    {
        var item = new Item(change, messageId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _years.Enqueue(change.Year, item);
        return item.Done.Task;
    }

    private async Task ApplyBatchAsync(int year, IReadOnlyList<Item> batch)
    {
        if (await TryApplyAsync(batch))
            return;
        foreach (var item in batch)
            await TryApplyAsync([item]);
    }

    private async Task<bool> TryApplyAsync(IReadOnlyList<Item> items)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PlanChangeApplier>()
                .ApplyAsync(items.Select(i => (i.Change, i.MessageId)).ToList(), CancellationToken.None);
            foreach (var item in items) item.Done.TrySetResult();
            return true;
        }
        catch (Exception ex) when (items.Count == 1)
        {
            items[0].Done.TrySetException(ex);
            return false;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
