using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PerfPlatform.Scoring.Domain;
using PerfPlatform.Scoring.Infrastructure;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// The in-memory scorecards, one per year, rebuilt from the database whenever the stored score version
/// moved past the cached one (another replica applied an event). A year is worked on by one caller at a
/// time: <see cref="YearScorecard"/> is not thread-safe.
/// </summary>
public sealed class ScoreBook
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<int, Entry> _years = new();

    private sealed class Entry
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);
        public YearScorecard? Card { get; set; }
        /// <summary>The year's row as <see cref="Card"/> reflects it; null while the year has none.</summary>
        public ScoredYear? Row { get; set; }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with the year's up-to-date scorecard, alone, for a caller that changes the year's row
    /// whenever it stores anything. It gets this instance's copy of the row without a read (untracked, null while the
    /// year has none), and returns the row as it saved it; the row's score version (checked by the database,
    /// VersionCheck) makes the save fail if another replica wrote meanwhile. On failure the cache is dropped, and the
    /// caller's retry reloads.
    /// </summary>
    public Task<T> WriteAsync<T>(int year, ScoringDbContext db, Func<YearScorecard, ScoredYear?, Task<(T Result, ScoredYear? Saved)>> work,
        CancellationToken ct) => WithYearAsync(year, db, work, ct, writing: true);

    /// <summary>A consistent read of a year: its snapshot, discrepancies and breakdowns come from one state.</summary>
    public Task<T> ReadAsync<T>(int year, ScoringDbContext db, Func<YearScorecard, ScoredYear?, T> read, CancellationToken ct) =>
        WithYearAsync(year, db, (card, stored) => Task.FromResult((read(card, stored), stored)), ct, writing: false);

    private async Task<T> WithYearAsync<T>(int year, ScoringDbContext db, Func<YearScorecard, ScoredYear?, Task<(T Result, ScoredYear? Saved)>> work,
        CancellationToken ct, bool writing)
    {
        var entry = _years.GetOrAdd(year, _ => new Entry());
        await entry.Lock.WaitAsync(ct);
        try
        {
            ScoredYear? stored;
            if (writing && entry is { Card: not null, Row: { } known })
            {
                stored = Copy(known);
            }
            else
            {
                // Readers always check the version.
                stored = await db.Years.AsNoTracking().SingleOrDefaultAsync(y => y.Year == year, ct);
                if (entry.Card is null || entry.Row?.ScoreVersion != stored?.ScoreVersion) entry.Card = await LoadAsync(db, year, ct);
                entry.Row = stored is null ? null : Copy(stored);
            }
            try
            {
                var (result, saved) = await work(entry.Card!, stored);
                if (saved is not null) entry.Row = Copy(saved);
                return result;
            }
            catch
            {
                entry.Card = null; // the scorecard may hold a change that was not stored
                entry.Row = null;
                throw;
            }
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    private static ScoredYear Copy(ScoredYear row) => new()
    {
        Year = row.Year, DeclaredEntityLevel = row.DeclaredEntityLevel, ScoreVersion = row.ScoreVersion, PlanVersion = row.PlanVersion,
    };

    private static async Task<YearScorecard> LoadAsync(ScoringDbContext db, int year, CancellationToken ct)
    {
        var card = new YearScorecard(year);
        var yearRow = await db.Years.AsNoTracking().SingleOrDefaultAsync(y => y.Year == year, ct);
        card.SetDeclaredEntityLevel(yearRow?.DeclaredEntityLevel);
        foreach (var a in await db.Areas.AsNoTracking().Where(a => a.Year == year).ToListAsync(ct))
            card.SetArea(new AreaInfo(a.Number, a.Name, a.DeclaredMean));
        var branches = await db.Branches.AsNoTracking().Where(b => b.Year == year).ToListAsync(ct);
        card.Apply(branches.Where(b => !b.Removed).Select(ToBranch).ToList(), [], 0);
        foreach (var tomb in branches.Where(b => b.Removed))
            card.Apply([], [tomb.Code], tomb.Version);
        return card;
    }

    public static StrategicObjectiveBranch ToBranch(BranchRecord r) => new(
        r.Code, r.AreaNumber, r.Title, r.OwnValue, r.DeclaredValue,
        JsonSerializer.Deserialize<List<OperationalObjectiveInput>>(r.OperationalObjectivesJson, Json) ?? [], r.Version);

    public static string ToJson(IReadOnlyList<OperationalObjectiveInput> objectives) => JsonSerializer.Serialize(objectives, Json);
}
