using System.Collections.Concurrent;
using System.Diagnostics;

namespace PerfPlatform.Portal.Live;

/// <summary>
/// What the dashboard reads from the services (the scorecard, the objectives not assessed, the list of years), kept per
/// reader (anonymous, or one signed-in user: each sees only what the services gave that reader) and year, and served
/// again only while it is provably current:
/// <list type="bullet">
/// <item>a WatchRecalculations stream of the year is connected (the <see cref="RecalculationRelay"/>'s, shared with the
/// browsers; the cache keeps one open for the reader while it is used) and was so before the copy was read;</item>
/// <item>no recalculation of the year arrived, and no stream of it connected or dropped, since the copy was read
/// (<see cref="RecalculationRelay.Generation"/>; the relay changes it before telling the browsers, so the figures a
/// pushed browser fetches are new);</item>
/// <item>the copy's score version is not older than one a stream announced;</item>
/// <item>it is younger than <see cref="MaxAge"/>, for what changes without a recalculation (a year published or
/// reopened, a title).</item>
/// </list>
/// Anything else reads from the services, as without the cache. Failures are never kept.
/// </summary>
public sealed class DashboardCache(RecalculationRelay relay) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);
    /// <summary>A stream the cache opened is closed when its copies went unused this long.</summary>
    public static readonly TimeSpan IdleStream = TimeSpan.FromMinutes(5);
    private const int MaxEntries = 10_000;
    private static readonly long MaxAgeTicks = (long)(MaxAge.TotalSeconds * Stopwatch.Frequency);
    private static readonly long RetryTicks = (long)(30 * Stopwatch.Frequency);

    private sealed record Entry(long Generation, long ReadAt, object Value);

    private readonly ConcurrentDictionary<(string Kind, int Year, int Period, string Reader), Entry> entries = new();
    /// <summary>The streams the cache asked the relay for, by the connection id it used, with their last use.</summary>
    private readonly ConcurrentDictionary<string, (int Year, long LastUse, long AskedAt)> streams = new();
    private Timer? sweeper;

    public int Count => entries.Count;

    /// <summary>
    /// The cached copy when it is current, else <paramref name="read"/>'s answer (kept when it qualifies).
    /// <paramref name="version"/> gives a copy's score version, when it has one.
    /// </summary>
    public async Task<T> GetAsync<T>(string kind, int year, int period, string reader, string? token,
        Func<CancellationToken, Task<T>> read, Func<T, long?>? version, CancellationToken ct) where T : class =>
        (await ReadAsync(kind, year, period, reader, token, read, version, ct)).Value;

    /// <summary>
    /// As <see cref="GetAsync{T}"/>, with the copy's standing: <see cref="Read{T}.Generation"/> is set when it is current
    /// under that generation (cached, or kept now), null when it may not be (and must not be kept in any form).
    /// </summary>
    public async Task<Read<T>> ReadAsync<T>(string kind, int year, int period, string reader, string? token,
        Func<CancellationToken, Task<T>> read, Func<T, long?>? version, CancellationToken ct) where T : class
    {
        var key = (kind, year, period, reader);
        var now = Stopwatch.GetTimestamp();
        if (entries.TryGetValue(key, out var e) && Current(e, year, now))
        {
            Touch(year, reader, token, now);
            return new Read<T>((T)e.Value, e.Generation, e.ReadAt);
        }
        var generation = relay.Generation(year);
        // Readers that miss together share one read (a cold or expired copy under load would otherwise send every one of
        // them to the services at once), provided it began under the generation they see and ended current.
        if (inflight.TryGetValue(key, out var shared) && shared.Generation == generation)
        {
            try
            {
                var r = (Read<T>)await shared.Task.WaitAsync(ct);
                if (r.Generation is { } g && StillCurrent(year, g, r.ReadAt)) return r;
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // the shared read failed: this reader reads for itself, and sees its own failure if any
            }
            return await ReadThroughAsync(key, year, reader, token, read, version, ct);
        }
        var own = new Inflight(generation, new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
        var leader = inflight.TryAdd(key, own);
        try
        {
            var result = await ReadThroughAsync(key, year, reader, token, read, version, ct);
            own.Completion.TrySetResult(result);
            return result;
        }
        catch (Exception failure)
        {
            own.Completion.TrySetException(failure);
            _ = own.Task.Exception; // observed: readers that shared it read again for themselves
            throw;
        }
        finally
        {
            if (leader) inflight.TryRemove(new KeyValuePair<(string, int, int, string), Inflight>(key, own));
        }
    }

    private sealed record Inflight(long Generation, TaskCompletionSource<object> Completion)
    {
        public Task<object> Task => Completion.Task;
    }

    private readonly ConcurrentDictionary<(string Kind, int Year, int Period, string Reader), Inflight> inflight = new();

    private async Task<Read<T>> ReadThroughAsync<T>((string, int, int, string) key, int year, string reader, string? token,
        Func<CancellationToken, Task<T>> read, Func<T, long?>? version, CancellationToken ct) where T : class
    {
        var generation = relay.Generation(year);
        var start = Stopwatch.GetTimestamp();
        var value = await read(ct);
        var current = relay.LiveSince(year, start) && relay.Generation(year) == generation
            && (version?.Invoke(value) is not { } v || v >= relay.AnnouncedVersion(year));
        if (current)
        {
            if (entries.Count >= MaxEntries) entries.Clear();
            entries[key] = new Entry(generation, start, value);
        }
        Touch(year, reader, token, Stopwatch.GetTimestamp());
        return new Read<T>(value, current ? generation : null, start);
    }

    /// <summary>Whether a copy read at <paramref name="readAt"/> under <paramref name="generation"/> is still current.</summary>
    public bool StillCurrent(int year, long generation, long readAt) =>
        generation == relay.Generation(year) && Stopwatch.GetTimestamp() - readAt < MaxAgeTicks && relay.LiveSince(year, readAt);

    public readonly record struct Read<T>(T Value, long? Generation, long ReadAt);

    private bool Current(Entry e, int year, long now) =>
        e.Generation == relay.Generation(year) && now - e.ReadAt < MaxAgeTicks && relay.LiveSince(year, e.ReadAt);

    /// <summary>Keeps (or opens, at most every 30 s while refused) the reader's stream of the year.</summary>
    private void Touch(int year, string reader, string? token, long now)
    {
        var connection = $"dashboard-cache:{year}:{reader}";
        if (streams.TryGetValue(connection, out var s))
        {
            streams[connection] = s with { LastUse = now };
            if (relay.Watching(year, reader) || now - s.AskedAt < RetryTicks) return;
        }
        streams[connection] = (year, now, now);
        relay.Watch(year, reader, token, connection);
        if (sweeper is null)
        {
            var timer = new Timer(_ => Sweep(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            if (Interlocked.CompareExchange(ref sweeper, timer, null) is not null) timer.Dispose();
        }
    }

    private void Sweep()
    {
        var idle = Stopwatch.GetTimestamp() - (long)(IdleStream.TotalSeconds * Stopwatch.Frequency);
        foreach (var (connection, s) in streams)
            if (s.LastUse < idle && streams.TryRemove(connection, out _))
                relay.Leave(connection);
        var old = Stopwatch.GetTimestamp() - MaxAgeTicks;
        foreach (var (key, e) in entries)
            if (e.ReadAt < old) entries.TryRemove(key, out _);
    }

    public void Dispose() => sweeper?.Dispose();
}
