namespace PerfPlatform.Scoring.Domain;

/// <summary>A year's figures at one moment, computed and declared side by side. Areas by number.</summary>
public sealed record Scorecard(
    int Year,
    decimal? EntityLevel,
    decimal? DeclaredEntityLevel,
    IReadOnlyList<AreaScore> Areas);

/// <summary>An area strategica: its computed MEDIA and the declared one; strategic objectives in code order.</summary>
public sealed record AreaScore(
    int Number,
    string Name,
    decimal? Mean,
    decimal? DeclaredMean,
    IReadOnlyList<StrategicObjectiveScore> StrategicObjectives)
{
    public string Label => string.IsNullOrWhiteSpace(Name) ? $"Area {Number}" : $"Area {Number} {Name}";
}

/// <summary>A strategic objective's computed score, where it comes from, and the declared value.</summary>
public sealed record StrategicObjectiveScore(
    string Code,
    string Title,
    decimal? Score,
    ScoreSource Source,
    decimal? OwnValue,
    decimal? DeclaredValue,
    IReadOnlyList<OperationalObjectiveInput> OperationalObjectives)
{
    public string Label => string.IsNullOrWhiteSpace(Title) ? Code : $"{Code} {Title}";

    /// <summary>
    /// The value an operational objective counts with in breakdowns: its own when assessed; else the
    /// strategic objective's own value when that is what scores it (an imported report gives % per
    /// strategic objective only); else not assessed.
    /// </summary>
    public decimal? EffectiveValueOf(OperationalObjectiveInput objective) =>
        objective.Value is { } own ? RollUp.Round(own)
        : Source == ScoreSource.OwnValue ? Score
        : null;
}
