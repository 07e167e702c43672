namespace PerfPlatform.Scoring.Domain;

public enum ScoreLevel
{
    StrategicObjective = 0,
    Area = 1,
    Entity = 2,
    /// <summary>Only as an input of a strategic objective's calculation.</summary>
    OperationalObjective = 3,
}

/// <summary>
/// A computed figure that changed. <see cref="Key"/> is the strategic objective's code, the area number
/// as a string, or "" for the entity.
/// </summary>
public sealed record ScoreChange(ScoreLevel Level, string Key, decimal? Old, decimal? New);

/// <summary>
/// What one <see cref="YearScorecard.Apply"/> did: the figures that actually changed (strategic objectives
/// in code order, then areas by number, then the entity) and how many stale entries it ignored.
/// </summary>
public sealed record Recalculation(IReadOnlyList<ScoreChange> Changes, int IgnoredAsStale)
{
    public bool HasChanges => Changes.Count > 0;
}
