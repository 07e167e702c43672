namespace PerfPlatform.Scoring.Domain;

/// <summary>How a figure is obtained from its children (see <see cref="RollUp.Combine"/>). Numbered as the contract's CalculationRule.</summary>
public enum CalculationRule
{
    /// <summary>The weighted mean of the assessed children (equal weights: the plain mean).</summary>
    MeanOfAssessed = 1,
    /// <summary>No child is assessed: the value entered (or declared) for the figure itself stands.</summary>
    OwnValue = 2,
    /// <summary>No child is assessed and there is no own value.</summary>
    NotAssessed = 3,
}

public enum ExclusionReason
{
    /// <summary>"/": not assessed this year, left out of every mean (never counted as 0).</summary>
    NotAssessed = 1,
}

/// <summary>
/// One child of a figure as the figure counts it: <see cref="Value"/> rounded to two decimals (null = not
/// assessed), its weight, whether it is in the mean. <see cref="Declared"/> is the child's declared figure,
/// when a report prints one; <see cref="Previous"/> its value before the latest change, when known (the
/// scorecard does not keep it: the consistency check then skips the stale-value cause).
/// </summary>
public sealed record CalculationInput(
    ScoreLevel Level,
    string Key,
    string Label,
    decimal? Value,
    decimal Weight,
    bool Included,
    ExclusionReason? ExcludedBecause,
    decimal? Declared = null,
    decimal? Previous = null);

/// <summary>The calculation log of one figure: its rule, its result (two decimals), the declared figure and every input.</summary>
public sealed record Calculation(
    int Year,
    ScoreLevel Level,
    string Key,
    string Label,
    CalculationRule Rule,
    decimal? Result,
    decimal? Declared,
    IReadOnlyList<CalculationInput> Inputs)
{
    public IEnumerable<CalculationInput> IncludedInputs => Inputs.Where(i => i.Included);
}
