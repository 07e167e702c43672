namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// Compares every declared figure (a strategic objective's %, an area's MEDIA, the entity level) with
/// the computed one and says where they part, with the calculation of the computed figure and the causes
/// (<see cref="DeclaredFigureCheck"/>) that reproduce the declared one. A declared null is not a figure; a
/// declared value against a not-assessed computed one is a difference.
/// </summary>
internal static class ConsistencyCheck
{
    public const string EntityLabel = "Livello medio generale della performance strategica a livello di ente";

    public static IReadOnlyList<Discrepancy> Run(Scorecard card)
    {
        var found = new List<Discrepancy>();
        foreach (var area in card.Areas)
        {
            foreach (var objective in area.StrategicObjectives)
                if (Differs(objective.DeclaredValue, objective.Score))
                    found.Add(Build(Calculations.OfObjective(card.Year, objective)));
            if (Differs(area.DeclaredMean, area.Mean))
                found.Add(Build(Calculations.OfArea(card.Year, area)));
        }
        if (Differs(card.DeclaredEntityLevel, card.EntityLevel))
            found.Add(Build(Calculations.OfEntity(card)));
        return found;
    }

    private static bool Differs(decimal? declared, decimal? computed) =>
        declared is { } d && RollUp.Round(d) != computed;

    private static Discrepancy Build(Calculation calculation)
    {
        var causes = DeclaredFigureCheck.FindCauses(calculation);
        return new Discrepancy(calculation.Level, calculation.Key, calculation.Label, calculation.Declared, calculation.Result,
            calculation.Result - calculation.Declared, EnglishExplanation.Lines(calculation, causes), causes, calculation);
    }
}
