using System.Collections.Concurrent;

namespace PerfPlatform.BuildingBlocks.Batching;

/// <summary>
/// Group commit: items for one key (a plan year) wait while the previous batch of that key is written, and the
/// writer then takes all that waited, up to <c>maxBatch</c>, in arrival order. One writer per key, so batches of a
/// key never overlap; different keys are written independently. <paramref name="writeBatch"/> completes its items
/// itself, also on failure: an exception it lets through is dropped so the key's writer goes on.
/// <para>
/// There is no standing writer task: the caller that finds its key idle becomes the writer and starts the batch on
/// its own thread, and the writer keeps going while items wait. Under the e2e bench most items find their key idle,
/// and a hand-over to a writer task was one more thread-pool hop (a wake-up on a busy machine) on every change.
/// </para>
/// </summary>
public sealed class KeyedBatchQueue<TKey, TItem>(Func<TKey, IReadOnlyList<TItem>, Task> writeBatch, int maxBatch = 200)
    where TKey : notnull
{
    private sealed class Lane
    {
        public ConcurrentQueue<TItem> Items { get; } = new();
        /// <summary>1 while a writer is draining the lane.</summary>
        public int Writing;
    }

    private readonly ConcurrentDictionary<TKey, Lane> _lanes = new();

    /// <summary>Queues <paramref name="item"/>; if no batch of its key is being written, starts writing (returns at the batch's first wait).</summary>
    public void Enqueue(TKey key, TItem item)
    {
        var lane = _lanes.GetOrAdd(key, _ => new Lane());
        lane.Items.Enqueue(item);
        if (Interlocked.CompareExchange(ref lane.Writing, 1, 0) == 0) _ = DrainAsync(key, lane);
    }

    private async Task DrainAsync(TKey key, Lane lane)
    {
        var batch = new List<TItem>(Math.Min(maxBatch, 16));
        while (true)
        {
            while (batch.Count < maxBatch && lane.Items.TryDequeue(out var item)) batch.Add(item);
            if (batch.Count == 0)
            {
                Volatile.Write(ref lane.Writing, 0);
                // An item queued after the last dequeue, whose caller still saw this writer at work, is this writer's
                // to take: unless another caller has become the writer meanwhile.
                if (lane.Items.IsEmpty || Interlocked.CompareExchange(ref lane.Writing, 1, 0) != 0) return;
                continue;
            }
            try
            {
                await writeBatch(key, batch);
            }
            catch (Exception)
            {
                // writeBatch owns its items' outcome; the writer must survive to serve the next batch.
            }
            batch.Clear();
        }
    }
}
