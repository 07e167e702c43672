using System.Collections.Concurrent;
using System.Threading.Channels;
using PerfPlatform.IntegrationEvents;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// Fans recalculations out to the connected watchers of a year; a slow watcher loses its oldest items, never blocks
/// the others. A recalculation reaches the hub twice: straight from this instance's applier once committed, and
/// through the bus (where those of the other replicas come from). Each is passed on once, whichever comes first.
/// </summary>
public sealed class RecalculationHub(ScorecardReadCache answers)
{
    private const int Remembered = 100_000;
    private readonly ConcurrentDictionary<Guid, (int Year, Channel<ScoresRecalculated> Channel)> _watchers = new();
    private readonly HashSet<Guid> _seen = [];
    private readonly Queue<Guid> _seenOrder = new();

    /// <returns>False when this recalculation was passed on already.</returns>
    public bool Publish(ScoresRecalculated recalculation)
    {
        lock (_seen)
        {
            if (!_seen.Add(recalculation.EventId)) return false;
            _seenOrder.Enqueue(recalculation.EventId);
            if (_seenOrder.Count > Remembered) _seen.Remove(_seenOrder.Dequeue());
        }
        // Before the watchers hear of it: a watcher that reads the scorecard on this news gets the new one.
        answers.Invalidate(recalculation.Year);
        foreach (var (_, (year, channel)) in _watchers)
            if (year == recalculation.Year) channel.Writer.TryWrite(recalculation);
        return true;
    }

    public async IAsyncEnumerable<ScoresRecalculated> WatchAsync(int year, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<ScoresRecalculated>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        _watchers[id] = (year, channel);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(ct))
                yield return item;
        }
        finally
        {
            _watchers.TryRemove(id, out _);
        }
    }

    public int WatcherCount => _watchers.Count;
}
