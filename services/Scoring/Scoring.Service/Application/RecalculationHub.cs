using System.Collections.Concurrent;
using System.Threading.Channels;
using PerfPlatform.IntegrationEvents;

namespace PerfPlatform.Scoring.Application;

/// <summary>Fans recalculations out to the connected watchers of a year; a slow watcher loses its oldest items, never blocks the others.</summary>
public sealed class RecalculationHub
{
    private readonly ConcurrentDictionary<Guid, (int Year, Channel<ScoresRecalculated> Channel)> _watchers = new();

    public void Publish(ScoresRecalculated recalculation)
    {
        foreach (var (_, (year, channel)) in _watchers)
            if (year == recalculation.Year) channel.Writer.TryWrite(recalculation);
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
