using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.IntegrationEvents;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// Group commit for Scoring: the plan changes of a year that arrive while the previous batch is being applied go
/// into one transaction, in arrival order, each with its own inbox record and recalculation. A consumer's message
/// is acknowledged only once its batch is committed. If a batch fails, its changes are applied one by one, so a
/// single bad message fails (and is retried) alone.
/// </summary>
public sealed class PlanChangeBatcher(IServiceScopeFactory scopes)
{
    private const int MaxBatch = 200;
    private readonly ConcurrentDictionary<int, Channel<Item>> _years = new();

    private sealed record Item(PlanChanged Change, Guid MessageId, TaskCompletionSource Done);

    public Task ApplyAsync(PlanChanged change, Guid messageId)
    {
        var item = new Item(change, messageId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var queue = _years.GetOrAdd(change.Year, year =>
        {
            var channel = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
            _ = Task.Run(() => ApplyLoopAsync(channel.Reader));
            return channel;
        });
        queue.Writer.TryWrite(item);
        return item.Done.Task;
    }

    private async Task ApplyLoopAsync(ChannelReader<Item> reader)
    {
        var batch = new List<Item>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item)) batch.Add(item);
            if (await TryApplyAsync(batch))
                continue;
            foreach (var item in batch)
                await TryApplyAsync([item]);
        }
    }

    private async Task<bool> TryApplyAsync(List<Item> items)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
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
