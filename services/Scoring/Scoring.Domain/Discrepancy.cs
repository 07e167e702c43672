namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// A declared figure that the computed one does not match (compared at two decimals).
/// <see cref="Difference"/> is Computed − Declared; null when the computed side is not assessed.
/// <see cref="Explanation"/> names the objectives or areas that explain it, one line each.
/// </summary>
public sealed record Discrepancy(
    ScoreLevel Level,
    string Key,
    string Label,
    decimal? Declared,
    decimal? Computed,
    decimal? Difference,
    IReadOnlyList<string> Explanation);
