namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// A declared figure that the computed one does not match (compared at two decimals).
/// <see cref="Difference"/> is Computed − Declared; null when the computed side is not assessed.
/// <see cref="Causes"/> says what reproduces the declared figure (or NoneFound); <see cref="Calculation"/> how
/// the computed one is obtained; <see cref="Explanation"/> says both as English sentences, one a line.
/// </summary>
public sealed record Discrepancy(
    ScoreLevel Level,
    string Key,
    string Label,
    decimal? Declared,
    decimal? Computed,
    decimal? Difference,
    IReadOnlyList<string> Explanation,
    IReadOnlyList<DiscrepancyExplanation> Causes,
    Calculation Calculation);
