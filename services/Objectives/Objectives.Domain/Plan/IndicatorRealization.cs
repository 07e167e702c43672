using System.Globalization;

namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>How an indicator's progress was found (or why it was left out): data a client renders in its language.</summary>
public enum IndicatorRule
{
    /// <summary>(actual − baseline) / (target − baseline) × 100: higher is better.</summary>
    Increase,
    /// <summary>(baseline − actual) / (baseline − target) × 100: lower is better.</summary>
    Decrease,
    /// <summary>100 − |actual − target| / |target − baseline| × 100: the closer to the target the better.</summary>
    Target,
    /// <summary>Target equal to baseline: 100 when reached (at or past it in the direction, on it for a target), else 0.</summary>
    ReachedOrNot,
    /// <summary>Left out: no actual value measured yet.</summary>
    NoActual,
    /// <summary>Left out: no target.</summary>
    NoTarget,
    /// <summary>Left out: no baseline (the progress has no starting point).</summary>
    NoBaseline,
    /// <summary>Left out: the target lies on the wrong side of the baseline for the direction (an increase to a lower target).</summary>
    TargetAgainstDirection,
}

/// <summary>
/// One indicator's part in the computed value: its inputs, the rule applied, the progress before the cap
/// (<see cref="Uncapped"/>) and after it, rounded to two decimals (<see cref="Progress"/>). Progress is null when the
/// indicator was left out; <see cref="Rule"/> then says why.
/// </summary>
public sealed record IndicatorProgress(
    string Name, decimal? Baseline, decimal? Target, decimal? Actual, IndicatorDirection Direction,
    IndicatorRule Rule, decimal? Uncapped, decimal? Progress)
{
    public bool Counted => Progress.HasValue;

    /// <summary>The calculation with its figures, in notation any language reads ("(12.5 − 30) / (15 − 30) × 100 = 116.67 → 100").</summary>
    public string Formula => Rule switch
    {
        IndicatorRule.Increase => $"({F(Actual)} − {F(Baseline)}) / ({F(Target)} − {F(Baseline)}) × 100{Result}",
        IndicatorRule.Decrease => $"({F(Baseline)} − {F(Actual)}) / ({F(Baseline)} − {F(Target)}) × 100{Result}",
        IndicatorRule.Target => $"100 − |{F(Actual)} − {F(Target)}| / |{F(Target)} − {F(Baseline)}| × 100{Result}",
        IndicatorRule.ReachedOrNot => $"{F(Actual)} {(Progress == 100m ? ReachedSign : NotReachedSign)} {F(Target)}{Result}",
        _ => "",
    };

    private string ReachedSign => Direction switch { IndicatorDirection.Increase => "≥", IndicatorDirection.Decrease => "≤", _ => "=" };
    private string NotReachedSign => Direction switch { IndicatorDirection.Increase => "<", IndicatorDirection.Decrease => ">", _ => "≠" };

    private string Result => Uncapped is { } u && Progress is { } p
        ? Math.Round(u, 2, MidpointRounding.AwayFromZero) == p ? $" = {F(p)}" : $" = {F(Math.Round(u, 2, MidpointRounding.AwayFromZero))} → {F(p)}"
        : "";

    private static string F(decimal? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "?";
}

/// <summary>
/// An operational objective's realization computed from its indicators, with everything it came from: each
/// indicator's progress and rule, and the mean over those counted. <see cref="Value"/> is null when no indicator
/// could be counted (nothing to compute from: the recorded value, if any, stands).
/// </summary>
public sealed record ComputedRealization(Realization? Value, IReadOnlyList<IndicatorProgress> Indicators)
{
    public IEnumerable<IndicatorProgress> Counted => Indicators.Where(i => i.Counted);

    public IEnumerable<IndicatorProgress> LeftOut => Indicators.Where(i => !i.Counted);

    /// <summary>"(100 + 50) / 2 = 75": the mean of the counted progresses, in neutral notation.</summary>
    public string Formula
    {
        get
        {
            var counted = Counted.Select(i => i.Progress!.Value.ToString("0.##", CultureInfo.InvariantCulture)).ToList();
            if (Value is not { Value: { } v }) return "";
            var result = v.ToString("0.##", CultureInfo.InvariantCulture);
            return counted.Count == 1 ? result : $"({string.Join(" + ", counted)}) / {counted.Count} = {result}";
        }
    }
}

/// <summary>
/// Indicators to percentages (docs/domain.md, "Indicators"). Per indicator, the share of the way from baseline to
/// target covered by the actual value, in the indicator's direction, capped to 0..100 and rounded to two decimals
/// (half away from zero); the objective's value is the plain mean of the indicators counted, rounded the same way.
/// Indicators carry no weight of their own in the plan, so each counts once. An indicator without an actual value
/// (or without baseline or target) is left out, never counted as 0.
/// </summary>
public static class IndicatorRealization
{
    public static ComputedRealization Compute(IEnumerable<IndicatorDraft> indicators)
    {
        var parts = indicators.Select(Progress).ToList();
        var counted = parts.Where(p => p.Counted).Select(p => p.Progress!.Value).ToList();
        Realization? value = counted.Count == 0 ? null : Realization.Of(Round(counted.Sum() / counted.Count));
        return new ComputedRealization(value, parts);
    }

    public static IndicatorProgress Progress(IndicatorDraft i)
    {
        IndicatorProgress LeftOut(IndicatorRule why) => new(i.Name, i.Baseline, i.Target, i.Actual, i.Direction, why, null, null);
        IndicatorProgress Counted(IndicatorRule rule, decimal uncapped) =>
            new(i.Name, i.Baseline, i.Target, i.Actual, i.Direction, rule, uncapped, Round(Math.Clamp(uncapped, 0m, 100m)));

        if (i.Actual is not { } actual) return LeftOut(IndicatorRule.NoActual);
        if (i.Target is not { } target) return LeftOut(IndicatorRule.NoTarget);
        if (i.Baseline is not { } baseline) return LeftOut(IndicatorRule.NoBaseline);

        if (target == baseline)
        {
            var reached = i.Direction switch
            {
                IndicatorDirection.Increase => actual >= target,
                IndicatorDirection.Decrease => actual <= target,
                _ => actual == target,
            };
            return Counted(IndicatorRule.ReachedOrNot, reached ? 100m : 0m);
        }
        return i.Direction switch
        {
            IndicatorDirection.Increase when target < baseline => LeftOut(IndicatorRule.TargetAgainstDirection),
            IndicatorDirection.Decrease when target > baseline => LeftOut(IndicatorRule.TargetAgainstDirection),
            IndicatorDirection.Increase => Counted(IndicatorRule.Increase, Percent(actual - baseline, target - baseline)),
            IndicatorDirection.Decrease => Counted(IndicatorRule.Decrease, Percent(baseline - actual, baseline - target)),
            _ => Counted(IndicatorRule.Target, 100m - Percent(Math.Abs(actual - target), Math.Abs(target - baseline))),
        };
    }

    /// <summary>part / whole × 100; a ratio far past any cap (a tiny step from baseline to target) is held at ±1e22 rather than overflow.</summary>
    private static decimal Percent(decimal part, decimal whole)
    {
        var approx = (double)part / (double)whole;
        return Math.Abs(approx) > 1e20 ? Math.Sign(approx) * 1e22m : part / whole * 100m;
    }

    private static decimal Round(decimal value) => Math.Round(value, Realization.Places, MidpointRounding.AwayFromZero);
}
