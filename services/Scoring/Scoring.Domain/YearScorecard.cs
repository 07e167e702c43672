namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// The Scoring read model of one year's plan, fed by the Objectives service's events.
/// <see cref="Apply"/> is incremental: it recomputes only the strategic objectives it touches, their
/// areas (old and new when one moves) and the entity level, each in O(1) thanks to running means.
/// Not thread-safe: one consumer applies a year's events in turn.
/// </summary>
public sealed class YearScorecard(int year)
{
    private readonly Dictionary<string, ScoredBranch> branches = new(StringComparer.Ordinal);
    private readonly Dictionary<int, AreaState> areas = new();
    // Latest version seen per code, for held branches and removed ones alike (the tombstone), so a
    // late older event never brings back or overwrites a newer state.
    private readonly Dictionary<string, long> latestVersions = new(StringComparer.Ordinal);
    private readonly RunningMean assessedAreaMeans = new();

    public int Year { get; } = year;

    /// <summary>Livello medio generale: mean of the assessed areas' MEDIA, rounded; null when none is assessed.</summary>
    public decimal? EntityLevel { get; private set; }

    public decimal? DeclaredEntityLevel { get; private set; }

    public decimal? ScoreOf(string code) => branches.TryGetValue(code, out var b) ? b.Score : null;

    /// <summary>The latest version applied for a strategic objective's code, as a branch or as a removal; null if never seen.</summary>
    public long? VersionOf(string code) => latestVersions.TryGetValue(code, out var v) ? v : null;

    public decimal? MeanOf(int areaNumber) => areas.TryGetValue(areaNumber, out var a) ? a.Mean : null;

    /// <summary>Names an area and records its declared MEDIA. Computed figures do not depend on it.</summary>
    public void SetArea(AreaInfo area)
    {
        ArgumentNullException.ThrowIfNull(area);
        AreaFor(area.Number).Info = area;
    }

    public void SetDeclaredEntityLevel(decimal? level) => DeclaredEntityLevel = level;

    /// <summary>
    /// Applies one event's changes. Removals carry <paramref name="version"/>; each upsert carries its own.
    /// An entry whose version is lower than or equal to the one already seen for its code is ignored
    /// (late older events and redeliveries change nothing). Removals are applied before upserts.
    /// Validates everything first, so an invalid batch changes nothing.
    /// </summary>
    public Recalculation Apply(
        IReadOnlyCollection<StrategicObjectiveBranch> upserts,
        IReadOnlyCollection<string> removedCodes,
        long version)
    {
        Validate(upserts, removedCodes);
        var batch = new Batch();

        foreach (var code in removedCodes)
        {
            if (!Accept(code, version)) { batch.IgnoredAsStale++; continue; }
            if (branches.Remove(code, out var removed))
            {
                batch.NoteObjective(code, removed.Score);
                Detach(removed, batch);
            }
        }

        foreach (var upsert in upserts)
        {
            if (!Accept(upsert.Code, upsert.Version)) { batch.IgnoredAsStale++; continue; }
            if (branches.TryGetValue(upsert.Code, out var previous))
            {
                batch.NoteObjective(previous.Code, previous.Score);
                Detach(previous, batch);
            }
            else
            {
                batch.NoteObjective(upsert.Code, null);
            }
            var scored = ScoredBranch.Of(upsert);
            branches[scored.Code] = scored;
            AreaFor(scored.AreaNumber).Attach(scored);
            batch.NoteArea(scored.AreaNumber);
        }

        return new Recalculation(CollectChanges(batch), batch.IgnoredAsStale);
    }

    public Scorecard Snapshot()
    {
        var areaScores = areas.Values
            .Where(a => a.Info is not null || a.Members.Count > 0)
            .OrderBy(a => a.Number)
            .Select(ToAreaScore)
            .ToList();
        return new Scorecard(Year, EntityLevel, DeclaredEntityLevel, areaScores);
    }

    /// <summary>Every declared figure that the computed one does not match, in document order.</summary>
    public IReadOnlyList<Discrepancy> CheckConsistency() => ConsistencyCheck.Run(Snapshot());

    /// <summary>
    /// The calculation log of a figure: its rule and every input, from the same roll-up as the scores.
    /// <paramref name="key"/>: a strategic objective's code, an area's number, "" for the entity. Null when the
    /// year has no such figure.
    /// </summary>
    public Calculation? CalculationOf(ScoreLevel level, string key) => Calculations.Of(Snapshot(), level, key ?? "");

    public Breakdown ByBesDimension() => Breakdowns.ByBesDimension(Snapshot());

    public Breakdown ByResponsibleSector() => Breakdowns.ByResponsibleSector(Snapshot());

    private bool Accept(string code, long version)
    {
        if (latestVersions.TryGetValue(code, out var latest) && version <= latest)
            return false;
        latestVersions[code] = version;
        return true;
    }

    private void Detach(ScoredBranch branch, Batch batch)
    {
        areas[branch.AreaNumber].Detach(branch);
        batch.NoteArea(branch.AreaNumber);
    }

    private AreaState AreaFor(int number)
    {
        if (!areas.TryGetValue(number, out var area))
            areas[number] = area = new AreaState(number);
        return area;
    }

    /// <summary>Settles the touched areas and the entity level, and lists what actually changed.</summary>
    private List<ScoreChange> CollectChanges(Batch batch)
    {
        var changes = new List<ScoreChange>();

        foreach (var (code, old) in batch.Objectives.OrderBy(o => o.Key, ObjectiveCodeComparer.Instance))
        {
            var current = ScoreOf(code);
            if (current != old)
                changes.Add(new ScoreChange(ScoreLevel.StrategicObjective, code, old, current));
        }

        foreach (var number in batch.Areas.Order())
        {
            var area = areas[number];
            var old = area.Mean;
            area.Mean = area.ComputeMean();
            if (area.Mean == old) continue;
            if (old is { } before) assessedAreaMeans.Remove(before);
            if (area.Mean is { } after) assessedAreaMeans.Add(after);
            changes.Add(new ScoreChange(ScoreLevel.Area, number.ToString(), old, area.Mean));
        }

        var oldEntity = EntityLevel;
        EntityLevel = RollUp.Round(assessedAreaMeans.Value);
        if (EntityLevel != oldEntity)
            changes.Add(new ScoreChange(ScoreLevel.Entity, "", oldEntity, EntityLevel));

        return changes;
    }

    private AreaScore ToAreaScore(AreaState area)
    {
        var objectives = area.Members
            .Order(ObjectiveCodeComparer.Instance)
            .Select(code => branches[code])
            .Select(b => new StrategicObjectiveScore(
                b.Code, b.Branch.Title, b.Score, b.Source, b.Branch.OwnValue, b.Branch.DeclaredValue,
                b.Branch.OperationalObjectives))
            .ToList();
        return new AreaScore(area.Number, area.Info?.Name ?? "", area.Mean, area.Info?.DeclaredMean, objectives);
    }

    private static void Validate(
        IReadOnlyCollection<StrategicObjectiveBranch> upserts, IReadOnlyCollection<string> removedCodes)
    {
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(removedCodes);
        foreach (var code in removedCodes)
            if (string.IsNullOrWhiteSpace(code))
                throw new ArgumentException("A removed code is empty.", nameof(removedCodes));
        foreach (var branch in upserts)
        {
            if (branch is null)
                throw new ArgumentException("An upsert is null.", nameof(upserts));
            if (string.IsNullOrWhiteSpace(branch.Code))
                throw new ArgumentException("A strategic objective has no code.", nameof(upserts));
            if (branch.OperationalObjectives is null)
                throw new ArgumentException($"{branch.Code}: operational objectives are missing.", nameof(upserts));
            foreach (var objective in branch.OperationalObjectives)
                if (objective is null || objective.Weight <= 0m)
                    throw new ArgumentException(
                        $"{branch.Code}: every operational objective needs a weight (peso) greater than zero.", nameof(upserts));
        }
    }

    /// <summary>What one Apply touched: each strategic objective's score before it, and the areas to settle.</summary>
    private sealed class Batch
    {
        public Dictionary<string, decimal?> Objectives { get; } = new(StringComparer.Ordinal);
        public HashSet<int> Areas { get; } = [];
        public int IgnoredAsStale { get; set; }

        // Only the first note counts: it is the score before this batch.
        public void NoteObjective(string code, decimal? scoreBefore) => Objectives.TryAdd(code, scoreBefore);

        public void NoteArea(int number) => Areas.Add(number);
    }
}
