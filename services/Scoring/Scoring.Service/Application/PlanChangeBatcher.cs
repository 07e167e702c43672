using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerfPlatform.BuildingBlocks.Batching;
using PerfPlatform.IntegrationEvents;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// Group commit for Scoring: the plan changes of a year that arrive while the previous batch is being applied go
/// into one transaction, in arrival order, each with its own inbox record and recalculation. A consumer's message
/// is acknowledged only once its batch is committed. The recalculations then go to this instance's watchers straight
/// away; the outbox publishes them to the bus for everyone else. If a batch fails, its changes are applied one by
/// one, checking the inbox, so a redelivered message is dropped and a single bad message fails (and is retried) alone.
/// </summary>
public sealed class PlanChangeBatcher
{
    private readonly IServiceScopeFactory _scopes;
    private readonly RecalculationHub _hub;
    private readonly KeyedBatchQueue<int, Item> _years;
    private readonly ILogger<PlanChangeBatcher> _logger;
    private readonly ScorecardReadCache _answers;

    public PlanChangeBatcher(IServiceScopeFactory scopes, RecalculationHub hub, ScorecardReadCache answers, ILogger<PlanChangeBatcher> logger)
    {
        _answers = answers;
        _scopes = scopes;
        _hub = hub;
        _logger = logger;
        _years = new KeyedBatchQueue<int, Item>(ApplyBatchAsync);
    }

    private sealed record Item(PlanChanged Change, Guid MessageId, TaskCompletionSource Done);

    public Task ApplyAsync(PlanChanged change, Guid messageId)
    {
        // Completed on the writer's thread, which then runs the consumer's acknowledgement: one thread-pool hop less per change.
        var item = new Item(change, messageId, new TaskCompletionSource());
        _years.Enqueue(change.Year, item);
        return item.Done.Task;
    }

    private async Task ApplyBatchAsync(int year, IReadOnlyList<Item> batch)
    {
        // Optimistic first: a redelivered message fails the batch on the inbox's key, and the one-by-one pass finds it.
        if (await TryApplyAsync(batch, checkInbox: false))
            return;
        foreach (var item in batch)
            await TryApplyAsync([item], checkInbox: true);
    }

    private async Task<bool> TryApplyAsync(IReadOnlyList<Item> items, bool checkInbox)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var published = await scope.ServiceProvider.GetRequiredService<PlanChangeApplier>()
                .ApplyAsync(items.Select(i => (i.Change, i.MessageId)).ToList(), checkInbox, CancellationToken.None);
            // Committed: the kept answers of those years are stale (a workflow step changes the period without a
            // recalculation), and this instance's watchers hear of it now, not after a round trip through the broker.
            foreach (var year in items.Select(i => i.Change.Year).Distinct()) _answers.Invalidate(year);
            foreach (var recalculation in published) _hub.Publish(recalculation);
            foreach (var item in items) item.Done.TrySetResult();
            return true;
        }
        catch (Exception ex) when (checkInbox && items.Count == 1)
        {
            items[0].Done.TrySetException(ex);
            return false;
        }
        catch (Exception ex)
        {
            // Expected now and then: a redelivered message, or another replica's write to the year (a stale copy).
            _logger.LogDebug(ex, "A batch of {Count} plan changes failed ({Reason}); applying them one by one", items.Count, ex.GetType().Name);
            return false;
        }
    }
}
