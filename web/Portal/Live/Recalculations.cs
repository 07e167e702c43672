using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.SignalR;
using PerfPlatform.Portal.Services;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.Live;

/// <summary>
/// Browsers follow a year; the relay tells them when Scoring recalculated it. A signed-in reader's stream carries that
/// reader's access token; an anonymous reader's carries none, and Scoring then streams only a published year.
/// </summary>
public sealed class RecalculationHub(RecalculationRelay relay, UserAccessToken tokens) : Hub
{
    public const string Path = "/live";

    public async Task Follow(int year)
    {
        var user = Context.User;
        var signedIn = user?.Identity?.IsAuthenticated == true;
        var reader = signedIn ? $"user:{user!.FindFirst(PortalClaims.Subject)?.Value ?? user.Identity!.Name}" : RecalculationRelay.Anonymous;
        var token = signedIn ? await tokens.GetAsync(Context.GetHttpContext()) : null;
        var group = relay.Watch(year, reader, token, Context.ConnectionId);
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        relay.Leave(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>
/// One WatchRecalculations stream per year and reader (every anonymous browser shares one; a signed-in reader's tabs share
/// theirs), re-opened after a drop, closed when its last browser leaves; remembers each year's last recalculation for the
/// dashboard. When Scoring refuses the stream (token expired, year not published) the browsers are told ("refused") and
/// follow again with a fresh session.
/// </summary>
public sealed class RecalculationRelay(
    ScoringV1.Scoring.ScoringClient scoring, IHubContext<RecalculationHub> hub, IHostApplicationLifetime lifetime,
    ILogger<RecalculationRelay> log)
{
    public const string Anonymous = "anonymous";

    private sealed class Watcher(int year, string reader, CancellationToken stopping)
    {
        public int Year { get; } = year;
        public string Reader { get; } = reader;
        public string? Token { get; set; }
        /// <summary>
        /// Since when (Stopwatch ticks) Scoring surely streams every recalculation of the year to this watcher: its headers
        /// came (Scoring subscribes right after sending them) plus <see cref="SubscribeGrace"/>; 0 while not connected.
        /// </summary>
        public long LiveSince;
        public HashSet<string> Connections { get; } = [];
        public CancellationTokenSource Stop { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    private readonly Lock gate = new();
    private readonly Dictionary<(int Year, string Reader), Watcher> watchers = [];
    private readonly Dictionary<string, HashSet<(int Year, string Reader)>> followed = [];
    private readonly ConcurrentDictionary<int, DateTimeOffset> last = new();
    private readonly ConcurrentDictionary<int, long> generations = new();
    private readonly ConcurrentDictionary<int, long> versions = new();

    /// <summary>Scoring writes the stream's headers just before it subscribes to its recalculations: a margin for that step.</summary>
    public static readonly TimeSpan SubscribeGrace = TimeSpan.FromMilliseconds(250);

    public DateTimeOffset? LastRecalculation(int year) => last.TryGetValue(year, out var at) ? at : null;

    /// <summary>
    /// Changes whenever what the portal read about the year may be out of date: a recalculation of it arrived on any
    /// reader's stream, or a stream of it connected or dropped (recalculations in between were not seen). Read it before
    /// reading the year from the services: a copy read under the same generation is as current as the stream.
    /// </summary>
    public long Generation(int year) => generations.GetValueOrDefault(year);

    /// <summary>The newest score version of the year a stream has announced (0: none yet).</summary>
    public long AnnouncedVersion(int year) => versions.GetValueOrDefault(year);

    private void Invalidate(int year) => generations.AddOrUpdate(year, 1, (_, g) => g + 1);

    /// <summary>
    /// Whether a stream of the year (any reader's) is connected and was so since <paramref name="since"/> (Stopwatch
    /// ticks): then every recalculation of the year after that moment changes <see cref="Generation"/>.
    /// </summary>
    public bool LiveSince(int year, long since)
    {
        lock (gate)
        {
            foreach (var ((y, _), w) in watchers)
                if (y == year && Volatile.Read(ref w.LiveSince) is > 0 and var live && live <= since) return true;
            return false;
        }
    }

    /// <summary>Whether a stream of the year for this reader is open or opening.</summary>
    public bool Watching(int year, string reader)
    {
        lock (gate) return watchers.ContainsKey((year, reader));
    }

    public static string Group(int year, string reader) => $"year-{year}-{reader}";

    /// <summary>The connection follows the year as this reader; returns the group to join.</summary>
    public string Watch(int year, string reader, string? token, string connectionId)
    {
        lock (gate)
        {
            if (!watchers.TryGetValue((year, reader), out var watcher))
            {
                watcher = new Watcher(year, reader, lifetime.ApplicationStopping);
                watchers[(year, reader)] = watcher;
                // No request's context flows into the loop: its calls carry only the header it sets.
                using (ExecutionContext.SuppressFlow()) _ = Task.Run(() => Loop(watcher));
            }
            if (token is not null) watcher.Token = token; // the freshest of the reader's tabs
            watcher.Connections.Add(connectionId);
            if (!followed.TryGetValue(connectionId, out var keys)) followed[connectionId] = keys = [];
            keys.Add((year, reader));
        }
        return Group(year, reader);
    }

    public void Leave(string connectionId)
    {
        lock (gate)
        {
            if (!followed.Remove(connectionId, out var keys)) return;
            foreach (var key in keys)
                if (watchers.TryGetValue(key, out var watcher) && watcher.Connections.Remove(connectionId) && watcher.Connections.Count == 0)
                    End(watcher);
        }
    }

    private bool Current(Watcher watcher) => watchers.TryGetValue((watcher.Year, watcher.Reader), out var current) && current == watcher;

    /// <summary>Forgets the watcher and stops its stream (once; the loop disposes it after, see the end of <see cref="Loop"/>).</summary>
    private void End(Watcher watcher)
    {
        lock (gate)
        {
            if (!Current(watcher)) return;
            watchers.Remove((watcher.Year, watcher.Reader));
            watcher.Stop.Cancel();
        }
    }

    private async Task Loop(Watcher watcher)
    {
        var stop = watcher.Stop.Token;
        var group = Group(watcher.Year, watcher.Reader);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var headers = watcher.Token is { } token ? new Metadata { { "authorization", $"Bearer {token}" } } : null;
                using var call = scoring.WatchRecalculations(new ScoringV1.WatchRecalculationsRequest { Year = watcher.Year }, headers, cancellationToken: stop);
                await call.ResponseHeadersAsync;
                // Connected: what was read before may have missed a recalculation while no stream was open.
                Invalidate(watcher.Year);
                Volatile.Write(ref watcher.LiveSince, System.Diagnostics.Stopwatch.GetTimestamp()
                    + (long)(SubscribeGrace.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
                await foreach (var r in call.ResponseStream.ReadAllAsync(stop))
                {
                    var at = r.CalculatedAt?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow;
                    last[watcher.Year] = at;
                    versions.AddOrUpdate(watcher.Year, r.Version, (_, v) => Math.Max(v, r.Version));
                    // Before the browsers hear of it: the figures they then fetch must not come from a cached copy.
                    Invalidate(watcher.Year);
                    await hub.Clients.Group(group).SendAsync("recalculated", new { year = r.Year, version = r.Version, calculatedAt = at }, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
            {
                // Not for this reader (any more): say so, and stop; a browser that follows again starts a new stream.
                log.LogInformation("Scoring refused to stream {Year} to {Reader}: {Status}", watcher.Year, watcher.Reader, e.StatusCode);
                End(watcher);
                try { await hub.Clients.Group(group).SendAsync("refused", new { year = watcher.Year }, CancellationToken.None); }
                catch (Exception send) when (send is not OperationCanceledException) { log.LogDebug(send, "Telling {Group} failed", group); }
                break;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Watching recalculations of {Year} stopped; watching again shortly", watcher.Year);
            }
            finally
            {
                // No stream, no news: nothing read from now on is known to be current.
                Volatile.Write(ref watcher.LiveSince, 0);
                Invalidate(watcher.Year);
            }
            // Scoring restarted or the stream ended: watch again, without hammering it.
            try { await Task.Delay(TimeSpan.FromSeconds(2), stop); } catch (OperationCanceledException) { break; }
        }
        lock (gate)
        {
            if (!Current(watcher)) watcher.Stop.Dispose(); // else the application is stopping and nothing will cancel it again
        }
    }
}
