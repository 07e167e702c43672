namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// The one place for the roll-up arithmetic: operational objectives → strategic objective →
/// area (MEDIA) → entity level.
/// </summary>
/// <remarks>
/// Rule chosen: every level is rounded to two decimals (half away from zero) and the level above
/// rolls up the ROUNDED values of the level below, as a reader re-computing from the printed
/// document does (area 1 of 2023 averages the printed 96,67 of 1.13, not 96,666…).
/// "Not assessed" ("/", null) is left out of every mean, never counted as 0.
/// </remarks>
public static class RollUp
{
    /// <summary>
    /// Weighted mean of the assessed entries; null entries are left out entirely (their weight too).
    /// Null when nothing is assessed. Not rounded: callers round with <see cref="Round(decimal)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An assessed entry has a weight ≤ 0.</exception>
    public static decimal? WeightedMean(IEnumerable<(decimal? Value, decimal Weight)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var mean = new RunningMean();
        foreach (var (value, weight) in entries)
            if (value is { } assessed)
                mean.Add(assessed, weight);
        return mean.Value;
    }

    /// <summary>
    /// The rule of every figure in one call: children are rounded to two decimals, the assessed ones (with
    /// their weights) give the mean; when none is assessed, <paramref name="ownValue"/> stands; else not
    /// assessed. The scorecard's scores and the calculation log both come from here.
    /// </summary>
    public static (CalculationRule Rule, decimal? Result) Combine(
        IEnumerable<(decimal? Value, decimal Weight)> children, decimal? ownValue = null)
    {
        ArgumentNullException.ThrowIfNull(children);
        if (WeightedMean(children.Select(c => (Round(c.Value), c.Weight))) is { } mean)
            return (CalculationRule.MeanOfAssessed, Round(mean));
        return ownValue is { } own ? (CalculationRule.OwnValue, Round(own)) : (CalculationRule.NotAssessed, null);
    }

    /// <summary>Equal-weight mean of the assessed values (null when none is assessed).</summary>
    public static decimal? Mean(IEnumerable<decimal?> values) =>
        WeightedMean((values ?? throw new ArgumentNullException(nameof(values))).Select(v => (v, 1m)));

    /// <summary>Two decimals, half away from zero (99.585 → 99.59), as the documents print.</summary>
    public static decimal Round(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero);

    /// <summary><see cref="Round(decimal)"/>, keeping "not assessed" as null.</summary>
    public static decimal? Round(decimal? value) => value is { } v ? Round(v) : null;
}

/// <summary>
/// A weighted mean kept as running sums, so that one value can enter or leave it in O(1).
/// The scorecard feeds it rounded (two-decimal) values only, so additions and removals cancel exactly
/// in <see cref="decimal"/> and the sums never drift.
/// </summary>
public sealed class RunningMean
{
    private decimal weightedSum;
    private decimal totalWeight;

    /// <summary>How many assessed values are in the mean.</summary>
    public int Count { get; private set; }

    /// <summary>The mean, unrounded; null when nothing is in it.</summary>
    public decimal? Value => Count == 0 ? null : weightedSum / totalWeight;

    public void Add(decimal value, decimal weight = 1m)
    {
        RequirePositive(weight);
        weightedSum += value * weight;
        totalWeight += weight;
        Count++;
    }

    public void Remove(decimal value, decimal weight = 1m)
    {
        RequirePositive(weight);
        if (Count == 0)
            throw new InvalidOperationException("Cannot remove a value from an empty mean.");
        Count--;
        if (Count == 0)
        {
            // Start clean rather than trust the subtraction to land on exactly zero.
            weightedSum = 0m;
            totalWeight = 0m;
            return;
        }
        weightedSum -= value * weight;
        totalWeight -= weight;
    }

    private static void RequirePositive(decimal weight)
    {
        if (weight <= 0m)
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "A weight (peso) must be greater than zero.");
    }
}
