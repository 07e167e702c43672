using System.Collections.Concurrent;
using PerfPlatform.BuildingBlocks.Batching;
using Xunit;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>KeyedBatchQueue: one writer per key at a time, arrival order, group commit, and a writer that survives a failure.</summary>
public sealed class KeyedBatchQueueTests
{
    [Fact]
    public async Task Many_callers_on_one_key_are_written_in_arrival_order_and_never_two_batches_at_once()
    {
        var writing = 0;
        var overlaps = 0;
        var written = new ConcurrentQueue<(int Producer, int Sequence)>();
        var done = new ConcurrentDictionary<(int, int), TaskCompletionSource>();
        var queue = new KeyedBatchQueue<int, (int Producer, int Sequence)>(async (_, batch) =>
        {
            if (Interlocked.Increment(ref writing) != 1) Interlocked.Increment(ref overlaps);
            await Task.Yield(); // a write that waits, as a database round trip does
            foreach (var item in batch) written.Enqueue(item);
            Interlocked.Decrement(ref writing);
            foreach (var item in batch) done[item].SetResult();
        });

        const int producers = 8, each = 500;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                var tcs = done[(p, i)] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                queue.Enqueue(2023, (p, i));
                if (i % 50 == 0) await tcs.Task; // now and then wait for the write, so the key goes idle and busy again
            }
        })));
        await Task.WhenAll(done.Values.Select(t => t.Task)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, overlaps);
        Assert.Equal(producers * each, written.Count);
        foreach (var producer in written.GroupBy(w => w.Producer))
            Assert.Equal(Enumerable.Range(0, each), producer.Select(w => w.Sequence)); // each caller's items in its order
    }

    [Fact]
    public async Task What_arrives_while_a_batch_is_written_goes_in_the_next_batch_together()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new ConcurrentQueue<string[]>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new KeyedBatchQueue<int, string>(async (_, batch) =>
        {
            batches.Enqueue([.. batch]);
            if (batch[0] == "first") await release.Task;
            if (batch.Contains("d")) all.SetResult();
        });

        queue.Enqueue(1, "first");
        foreach (var item in new[] { "a", "b", "c", "d" }) queue.Enqueue(1, item);
        Assert.Equal([["first"]], batches); // the rest waits for the write under way
        release.SetResult();
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([["first"], ["a", "b", "c", "d"]], batches);
    }

    [Fact]
    public async Task Keys_are_written_independently_and_a_failed_batch_does_not_stop_its_key()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = new ConcurrentQueue<string>();
        var queue = new KeyedBatchQueue<int, string>(async (key, batch) =>
        {
            if (batch.Contains("hold")) await held.Task;
            if (batch.Contains("fail")) throw new InvalidOperationException("refused");
            foreach (var item in batch) written.Enqueue(item);
        });

        queue.Enqueue(2022, "hold");
        queue.Enqueue(2023, "fail");
        queue.Enqueue(2023, "after the failure");
        await WaitUntilAsync(() => written.Contains("after the failure")); // 2023 goes on while 2022 is held
        Assert.DoesNotContain("hold", written);

        held.SetResult();
        await WaitUntilAsync(() => written.Contains("hold"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }
}
