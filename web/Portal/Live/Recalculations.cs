using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.SignalR;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.Live;

/// <summary>Browsers join a year's group; the relay tells the group when Scoring recalculated that year.</summary>
public sealed class RecalculationHub(RecalculationRelay relay) : Hub
{
    public const string Path = "/live";

    public Task Follow(int year)
    {
        relay.Watch(year);
        return Groups.AddToGroupAsync(Context.ConnectionId, Group(year));
    }

    public static string Group(int year) => $"year-{year}";
}

/// <summary>
/// One WatchRecalculations stream per year that a browser follows (not one per browser), re-opened after a
/// drop; remembers the time of each year's last recalculation for the dashboard.
/// </summary>
public sealed class RecalculationRelay(
    ScoringV1.Scoring.ScoringClient scoring, IHubContext<RecalculationHub> hub, IHostApplicationLifetime lifetime,
    ILogger<RecalculationRelay> log)
{
    private readonly ConcurrentDictionary<int, Task> watches = new();
    private readonly ConcurrentDictionary<int, DateTimeOffset> last = new();

    public DateTimeOffset? LastRecalculation(int year) => last.TryGetValue(year, out var at) ? at : null;

    public void Watch(int year) => watches.GetOrAdd(year, y => Task.Run(() => Loop(y, lifetime.ApplicationStopping)));

    private async Task Loop(int year, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var call = scoring.WatchRecalculations(new ScoringV1.WatchRecalculationsRequest { Year = year }, cancellationToken: stop);
                await foreach (var r in call.ResponseStream.ReadAllAsync(stop))
                {
                    var at = r.CalculatedAt?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow;
                    last[year] = at;
                    await hub.Clients.Group(RecalculationHub.Group(year)).SendAsync("recalculated",
                        new { year = r.Year, version = r.Version, calculatedAt = at }, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogWarning(e, "Watching recalculations of {Year} stopped; watching again shortly", year);
            }
            // Scoring restarted or the stream ended: watch again, without hammering it.
            try { await Task.Delay(TimeSpan.FromSeconds(2), stop); } catch (OperationCanceledException) { return; }
        }
    }
}
