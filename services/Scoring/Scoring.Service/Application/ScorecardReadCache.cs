using System.Collections.Concurrent;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// The answers of GetScorecard, kept per year, requested period and view while nothing can have changed them: the portal's
/// dashboard and other city systems read the same scorecard again and again between recalculations, and building it
/// (two reads, the year's lock, the snapshot and the consistency check) cost about 25 times a bare gRPC call.
/// <para>
/// An answer is dropped when this process applies a change to the year (<see cref="PlanChangeBatcher"/>) or hears of a
/// recalculation by any replica (<see cref="RecalculationHub"/>, fed by the bus too), and in any case after
/// <see cref="MaxAge"/>: a workflow step applied by another replica (which recalculates nothing) is seen within that.
/// The generation is taken before the read that builds an answer, so an answer built across a change is never kept.
/// </para>
/// </summary>
public sealed class ScorecardReadCache(TimeProvider clock)
{
    /// <summary>How long an answer is served without looking at the database again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<int, long> _generations = new();
    private readonly ConcurrentDictionary<(int Year, int Period, int View), Kept> _kept = new();

    private sealed record Kept(long Generation, DateTimeOffset At, object Answer);

    /// <summary>The year's generation now: pass it to <see cref="Keep"/> with the answer read after it.</summary>
    public long Generation(int year) => _generations.GetValueOrDefault(year);

    /// <summary>Something about the year changed: what was kept for it is not served again.</summary>
    public void Invalidate(int year) => _generations.AddOrUpdate(year, 1, (_, g) => g + 1);

    /// <param name="answer">The response message, or the <see cref="Exception"/> to throw again; neither is changed afterwards.</param>
    public void Keep(int year, int period, int view, long generation, object answer) =>
        _kept[(year, period, view)] = new Kept(generation, clock.GetUtcNow(), answer);

    /// <returns>What was kept for the year, period and view, if nothing changed since and it is younger than <see cref="MaxAge"/>.</returns>
    public object? Find(int year, int period, int view) =>
        _kept.TryGetValue((year, period, view), out var kept) && kept.Generation == Generation(year) && clock.GetUtcNow() - kept.At < MaxAge
            ? kept.Answer
            : null;
}
