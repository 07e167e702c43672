using System.Collections.Concurrent;
using System.Threading.Channels;

namespace PerfPlatform.BuildingBlocks.Batching;

/// <summary>
/// Group commit: items for one key (a plan year) wait while the previous batch of that key is written, and the
/// writer then takes all that waited, up to <c>maxBatch</c>, in arrival order. One writer per key, so batches of a
/// key never overlap; different keys are written independently. <paramref name="writeBatch"/> completes its items
/// itself, also on failure: an exception it lets through is dropped so the key's writer goes on.
/// </summary>
public sealed class KeyedBatchQueue<TKey, TItem>(Func<TKey, IReadOnlyList<TItem>, Task> writeBatch, int maxBatch = 200)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Channel<TItem>> _queues = new();

    public void Enqueue(TKey key, TItem item)
    {
        var queue = _queues.GetOrAdd(key, k =>
        {
            var channel = Channel.CreateUnbounded<TItem>(new UnboundedChannelOptions { SingleReader = true });
            _ = Task.Run(() => WriteLoopAsync(k, channel.Reader));
            return channel;
        });
        queue.Writer.TryWrite(item);
    }

    private async Task WriteLoopAsync(TKey key, ChannelReader<TItem> reader)
    {
        var batch = new List<TItem>(maxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < maxBatch && reader.TryRead(out var item)) batch.Add(item);
            try
            {
                await writeBatch(key, batch);
            }
            catch (Exception)
            {
                // writeBatch owns its items' outcome; the loop must survive to serve the next batch.
            }
        }
    }
}
