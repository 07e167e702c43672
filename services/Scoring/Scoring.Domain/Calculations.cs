namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// The calculation log of any figure of a scorecard: its rule and inputs, through <see cref="RollUp.Combine"/>,
/// the same rule the scorecard computes with.
/// </summary>
internal static class Calculations
{
    public static Calculation OfObjective(int year, StrategicObjectiveScore objective)
    {
        var inputs = objective.OperationalObjectives
            .Select(o => Input(ScoreLevel.OperationalObjective, o.Id.ToString(), o.Title, o.Value, o.Weight))
            .ToList();
        var (rule, result) = RollUp.Combine(inputs.Select(i => (i.Value, i.Weight)), objective.OwnValue);
        return new Calculation(year, ScoreLevel.StrategicObjective, objective.Code, objective.Label, rule, result,
            objective.DeclaredValue, inputs);
    }

    public static Calculation OfArea(int year, AreaScore area)
    {
        var inputs = area.StrategicObjectives
            .Select(o => Input(ScoreLevel.StrategicObjective, o.Code, o.Title, o.Score, 1m, o.DeclaredValue))
            .ToList();
        var (rule, result) = RollUp.Combine(inputs.Select(i => (i.Value, i.Weight)));
        return new Calculation(year, ScoreLevel.Area, area.Number.ToString(), area.Label, rule, result, area.DeclaredMean, inputs);
    }

    public static Calculation OfEntity(Scorecard card)
    {
        var inputs = card.Areas
            .Select(a => Input(ScoreLevel.Area, a.Number.ToString(), a.Name, a.Mean, 1m, a.DeclaredMean))
            .ToList();
        var (rule, result) = RollUp.Combine(inputs.Select(i => (i.Value, i.Weight)));
        return new Calculation(card.Year, ScoreLevel.Entity, "", ConsistencyCheck.EntityLabel, rule, result,
            card.DeclaredEntityLevel, inputs);
    }

    /// <summary>The figure named by level and key ("1.13", "1", "" for the entity); null when the scorecard has none.</summary>
    public static Calculation? Of(Scorecard card, ScoreLevel level, string key) => level switch
    {
        ScoreLevel.Entity => OfEntity(card),
        ScoreLevel.Area => card.Areas.FirstOrDefault(a => a.Number.ToString() == key) is { } area ? OfArea(card.Year, area) : null,
        ScoreLevel.StrategicObjective => card.Areas.SelectMany(a => a.StrategicObjectives).FirstOrDefault(o => o.Code == key) is { } o
            ? OfObjective(card.Year, o) : null,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "A calculation is kept for a strategic objective, an area or the entity level."),
    };

    private static CalculationInput Input(ScoreLevel level, string key, string label, decimal? value, decimal weight, decimal? declared = null)
    {
        var counted = RollUp.Round(value);
        return new CalculationInput(level, key, label, counted, weight, counted is not null,
            counted is null ? ExclusionReason.NotAssessed : null, declared);
    }
}
