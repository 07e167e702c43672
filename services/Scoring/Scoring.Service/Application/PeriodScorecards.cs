using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.Scoring.Domain;
using PerfPlatform.Scoring.Infrastructure;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// The scorecard of each period (docs/domain.md, "The year's workflow"). The live scorecard is the current
/// period's; when a year leaves monitoring (its events' state moves from planning or monitoring to final or
/// later), the scorecard as it stood is frozen, and the monitoring period is answered from that copy from then on.
/// A year that reached Scoring already at final (an imported report) has no monitoring scorecard.
/// </summary>
public sealed class PeriodScorecards
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    /// <summary>The state last seen per year, so the applier reads the year's row only when a state changes.</summary>
    private readonly ConcurrentDictionary<int, string?> _states = new();

    /// <summary>
    /// Called by the applier with each event before it is applied, inside the year's transaction: the card is the
    /// year as of the event before.
    /// </summary>
    internal async Task ObserveAsync(ScoringDbContext db, YearWrites writes, YearScorecard card, PlanChanged change, CancellationToken ct)
    {
        if (change.YearState is not { } state) return;
        if (_states.TryGetValue(change.Year, out var known) && known == state) return;
        var year = writes.Year;
        var row = writes.Period;
        if (row is null)
        {
            row = await db.YearPeriods.AsNoTracking().SingleOrDefaultAsync(p => p.Year == change.Year, ct);
            writes.SetPeriod(row ?? new YearPeriodRecord { Year = change.Year }, isNew: row is null);
            row = writes.Period!;
        }
        if (change.PlanVersion <= row.StateVersion) return; // a late, older event: the state it carries is past
        if (row.State is "planning" or "monitoring" && !IsMonitoring(state) && row.MonitoringScorecardJson is null)
        {
            row.MonitoringScorecardJson = JsonSerializer.Serialize(card.Snapshot(), Json);
            row.MonitoringScoreVersion = year.ScoreVersion;
        }
        row.State = state;
        row.StateVersion = change.PlanVersion;
        _states[change.Year] = state;
    }

    /// <summary>Forgets the cached states: the transaction they were observed in did not commit.</summary>
    public void Forget(int year) => _states.TryRemove(year, out _);

    public static bool IsMonitoring(string? state) => state is "planning" or "monitoring";

    /// <summary>The year's monitoring scorecard rebuilt from its frozen copy; null when none was frozen.</summary>
    public static (YearScorecard Card, long ScoreVersion)? Frozen(YearPeriodRecord? row, int year)
    {
        if (row?.MonitoringScorecardJson is not { } json) return null;
        var snapshot = JsonSerializer.Deserialize<Scorecard>(json, Json)!;
        var card = new YearScorecard(year);
        card.SetDeclaredEntityLevel(snapshot.DeclaredEntityLevel);
        foreach (var area in snapshot.Areas) card.SetArea(new AreaInfo(area.Number, area.Name, area.DeclaredMean));
        card.Apply(snapshot.Areas.SelectMany(a => a.StrategicObjectives.Select(s =>
            new StrategicObjectiveBranch(s.Code, a.Number, s.Title, s.OwnValue, s.DeclaredValue, s.OperationalObjectives, 1))).ToList(), [], 1);
        return (card, row.MonitoringScoreVersion);
    }

    public static Task<YearPeriodRecord?> ReadAsync(ScoringDbContext db, int year, CancellationToken ct) =>
        db.YearPeriods.AsNoTracking().SingleOrDefaultAsync(p => p.Year == year, ct);
}
