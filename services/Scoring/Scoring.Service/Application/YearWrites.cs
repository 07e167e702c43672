using PerfPlatform.BuildingBlocks.Inbox;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.Scoring.Infrastructure;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// The rows one batch of the applier writes for a year, each once and in its final state, saved together as one
/// <see cref="RowBatch"/>. A row read or added earlier in the batch is found here before the database is asked, as EF's
/// change tracker would find it.
/// </summary>
internal sealed class YearWrites(ScoredYear? stored, int yearNumber)
{
    private readonly long? _readScoreVersion = stored?.ScoreVersion;
    private readonly Dictionary<int, (AreaRecord Row, bool New)> _areas = [];
    private readonly Dictionary<string, (BranchRecord Row, bool New)> _branches = new(StringComparer.Ordinal);
    private (YearPeriodRecord Row, bool New)? _period;
    private readonly List<InboxMessage> _inbox = [];
    private readonly List<OutboxMessage> _outbox = [];

    /// <summary>The year's row: the stored one (a copy, untracked) or a new one, written when it differs from what was read.</summary>
    public ScoredYear Year { get; } = stored ?? new ScoredYear { Year = yearNumber };

    public AreaRecord? Area(int number) => _areas.TryGetValue(number, out var area) ? area.Row : null;

    /// <summary>Keeps <paramref name="row"/> to be written; <paramref name="isNew"/>: inserted (else updated whole).</summary>
    public void Area(AreaRecord row, bool isNew) => _areas.TryAdd(row.Number, (row, isNew));

    public BranchRecord? Branch(string code) => _branches.TryGetValue(code, out var branch) ? branch.Row : null;

    public void Branch(BranchRecord row, bool isNew) => _branches.TryAdd(row.Code, (row, isNew));

    public YearPeriodRecord? Period => _period?.Row;

    public void SetPeriod(YearPeriodRecord row, bool isNew) => _period ??= (row, isNew);

    public void Inbox(InboxMessage message) => _inbox.Add(message);

    public void Outbox(OutboxMessage message) => _outbox.Add(message);

    /// <summary>
    /// Whether the year's row changed: the applier moves its score version with whatever else it stores in the row.
    /// Then it is written, and its version checked by the database.
    /// </summary>
    private bool YearChanged => Year.ScoreVersion != _readScoreVersion;

    /// <summary>The batch: the year's row first (its trigger refuses the batch if another replica moved it on), then the rest.</summary>
    public RowBatch ToBatch(ScoringDbContext db)
    {
        var rows = new RowBatch(db);
        if (_readScoreVersion is null) rows.Insert(Year);
        else if (YearChanged)
        {
            Year.ScoreVersionBase = _readScoreVersion;
            rows.Update(Year, nameof(ScoredYear.ScoreVersion), nameof(ScoredYear.ScoreVersionBase), nameof(ScoredYear.PlanVersion),
                nameof(ScoredYear.DeclaredEntityLevel));
        }
        foreach (var (row, isNew) in _areas.Values)
            if (isNew) rows.Insert(row); else rows.UpdateAll(row);
        if (_period is { } period)
            if (period.New) rows.Insert(period.Row); else rows.UpdateAll(period.Row);
        foreach (var (row, isNew) in _branches.Values)
            if (isNew) rows.Insert(row); else rows.UpdateAll(row);
        foreach (var message in _inbox) rows.Insert(message);
        foreach (var message in _outbox) rows.Insert(message);
        return rows;
    }
}
