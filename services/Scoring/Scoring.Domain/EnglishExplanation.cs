namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// The English sentences of a discrepancy, for logs and clients that do not render the structured causes;
/// written from the calculation and the causes only, as every other client's rendering is.
/// </summary>
internal static class EnglishExplanation
{
    public static List<string> Lines(Calculation calc, IReadOnlyList<DiscrepancyExplanation> causes)
    {
        var declared = Figures.Format(calc.Declared);
        var included = calc.IncludedInputs.ToList();
        var noun = Children(calc.Level);
        var lines = new List<string>
        {
            calc.Rule switch
            {
                CalculationRule.MeanOfAssessed =>
                    $"mean of {included.Count} assessed {noun} = {Figures.Format(calc.Result)}; declared {declared}",
                CalculationRule.OwnValue =>
                    $"none of its {calc.Inputs.Count} {noun} is assessed: the value entered for it stands = "
                    + $"{Figures.Format(calc.Result)}; declared {declared}",
                _ => calc.Level == ScoreLevel.StrategicObjective
                    ? $"not assessed: none of its {calc.Inputs.Count} {noun} is assessed and no value was entered for it; declared {declared}"
                    : $"no {Child(calc.Level)} assessed, so there is no mean; declared {declared}",
            },
        };
        var left = calc.Inputs.Where(i => !i.Included).Select(i => Name(calc, i.Key)).ToList();
        if (left.Count > 0 && calc.Level != ScoreLevel.StrategicObjective)
            lines.Add($"not assessed, left out of the mean: {string.Join(", ", left)}");
        lines.AddRange(causes.Select(c => Line(calc, c, included.Count)));
        return lines;
    }

    private static string Line(Calculation calc, DiscrepancyExplanation c, int assessed)
    {
        var declared = Figures.Format(calc.Declared);
        var names = string.Join(", ", c.ChildKeys.Select(k => Name(calc, k)));
        var value = Figures.Format(c.ChildValue);
        var noun = Children(calc.Level);
        string Each(string what) => c.HasAlternatives ? $"{what} (any of {names})" : names;
        return c.Cause switch
        {
            DiscrepancyCause.ChildLeftOut => c.ChildrenTaken == 1
                ? $"declared {declared} = the mean of {assessed - 1} of the {assessed} {noun}: "
                  + (c.HasAlternatives ? $"one at {value} left out (any of {names})" : $"{names} ({value}) left out")
                : $"declared {declared} = the mean of {assessed - 2} of the {assessed} {noun}: "
                  + (c.HasAlternatives ? $"two at {value} left out (any two of {names})" : $"{names} left out"),
            DiscrepancyCause.ChildCountedTwice =>
                $"declared {declared} = the mean with " + (c.HasAlternatives ? Each($"one at {value}") : $"{names} ({value})") + " counted twice",
            DiscrepancyCause.DeclaredChildValue => c.ChildKeys.Count == 1
                ? $"declared {declared} follows from the declared {value} of {names} instead of its computed "
                  + Figures.Format(Input(calc, c.ChildKeys[0])?.Value)
                : $"declared {declared} follows from the declared figures of {names} instead of their computed ones",
            DiscrepancyCause.StaleChildValue => c.ChildKeys.Count == 1
                ? $"declared {declared} follows from the previous value {value} of {names} instead of its current "
                  + Figures.Format(Input(calc, c.ChildKeys[0])?.Value)
                : $"declared {declared} follows from the previous values of {names} instead of their current ones",
            DiscrepancyCause.RoundedBefore =>
                $"declared {declared} = the mean of the {noun} each rounded to {c.Decimals} decimal{(c.Decimals == 1 ? "" : "s")} first",
            DiscrepancyCause.RoundedAfter =>
                $"declared {declared} = the mean {(c.Truncated ? "truncated" : "rounded")} to {c.Decimals} decimal{(c.Decimals == 1 ? "" : "s")}"
                + (c.Truncated ? " instead of rounded" : ""),
            _ => $"no cause tried (a child left out or counted twice, a child's declared or previous value, rounding before "
                 + $"or after the mean) reproduces the declared {declared}",
        };
    }

    private static CalculationInput? Input(Calculation calc, string key) => calc.Inputs.FirstOrDefault(i => i.Key == key);

    /// <summary>Codes read as they are; areas as "area N"; operational objectives by title (their key is an id).</summary>
    private static string Name(Calculation calc, string key) => Input(calc, key) switch
    {
        { Level: ScoreLevel.Area } => $"area {key}",
        { Level: ScoreLevel.OperationalObjective } input => $"\"{input.Label}\"",
        _ => key,
    };

    private static string Children(ScoreLevel level) => level switch
    {
        ScoreLevel.StrategicObjective => "operational objectives",
        ScoreLevel.Area => "strategic objectives",
        _ => "areas",
    };

    private static string Child(ScoreLevel level) => level switch
    {
        ScoreLevel.StrategicObjective => "operational objective",
        ScoreLevel.Area => "strategic objective",
        _ => "area",
    };
}
