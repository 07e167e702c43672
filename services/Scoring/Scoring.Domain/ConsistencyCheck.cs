namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// Compares every declared figure (a strategic objective's %, an area's MEDIA, the entity level) with
/// the computed one and says where they part. A declared null is not a figure; a declared value
/// against a not-assessed computed one is a difference.
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
                    found.Add(Build(ScoreLevel.StrategicObjective, objective.Code, objective.Label,
                        objective.DeclaredValue, objective.Score, ExplainObjective(objective)));
            if (Differs(area.DeclaredMean, area.Mean))
                found.Add(Build(ScoreLevel.Area, area.Number.ToString(), area.Label,
                    area.DeclaredMean, area.Mean, ExplainArea(area)));
        }
        if (Differs(card.DeclaredEntityLevel, card.EntityLevel))
            found.Add(Build(ScoreLevel.Entity, "", EntityLabel,
                card.DeclaredEntityLevel, card.EntityLevel, ExplainEntity(card)));
        return found;
    }

    private static bool Differs(decimal? declared, decimal? computed) =>
        declared is { } d && RollUp.Round(d) != computed;

    private static Discrepancy Build(
        ScoreLevel level, string key, string label, decimal? declared, decimal? computed, List<string> explanation) =>
        new(level, key, label, declared, computed, computed - declared, explanation);

    private static string Versus(decimal? computed, decimal? declared) =>
        $"{Figures.Format(computed)}; declared {Figures.Format(declared)}";

    private static List<string> ExplainObjective(StrategicObjectiveScore objective)
    {
        var operational = objective.OperationalObjectives;
        var assessed = operational.Where(o => o.Value is not null).ToList();
        return objective.Source switch
        {
            ScoreSource.OperationalObjectives =>
            [
                $"mean of {assessed.Count} assessed operational objectives = {Versus(objective.Score, objective.DeclaredValue)}",
                .. assessed.Select(o => $"{o.Title} = {Figures.Format(RollUp.Round(o.Value))}"),
            ],
            ScoreSource.OwnValue =>
            [
                $"none of its {operational.Count} operational objectives is assessed: the value entered for it stands = "
                + Versus(objective.Score, objective.DeclaredValue),
            ],
            _ =>
            [
                $"not assessed: none of its {operational.Count} operational objectives is assessed and no value was "
                + $"entered for it; declared {Figures.Format(objective.DeclaredValue)}",
            ],
        };
    }

    private static List<string> ExplainArea(AreaScore area)
    {
        var assessed = area.StrategicObjectives.Where(o => o.Score is not null).ToList();
        var notAssessed = area.StrategicObjectives.Where(o => o.Score is null).Select(o => o.Code).ToList();
        var lines = new List<string>();
        if (assessed.Count == 0)
            lines.Add($"no strategic objective assessed, so the area has no mean; declared {Figures.Format(area.DeclaredMean)}");
        else
            lines.Add($"mean of {assessed.Count} assessed strategic objectives = {Versus(area.Mean, area.DeclaredMean)}");

        // The ones below 100 are what pulls a mean away from 100: name each with its value.
        var below = assessed.Where(o => o.Score != 100m).ToList();
        lines.AddRange(below.Select(o => $"{o.Code} = {Figures.Format(o.Score)}"));
        var atFull = assessed.Count - below.Count;
        if (atFull > 0)
            lines.Add(below.Count == 0
                ? $"all {atFull} assessed strategic objectives = {Figures.Format(100m)}"
                : $"{atFull} other assessed strategic objectives = {Figures.Format(100m)}");
        if (notAssessed.Count > 0)
            lines.Add($"not assessed, left out of the mean: {string.Join(", ", notAssessed)}");
        return lines;
    }

    private static List<string> ExplainEntity(Scorecard card)
    {
        var assessed = card.Areas.Where(a => a.Mean is not null).ToList();
        var notAssessed = card.Areas.Where(a => a.Mean is null).Select(a => $"area {a.Number}").ToList();
        var lines = new List<string>();
        if (assessed.Count == 0)
            lines.Add($"no area assessed, so the entity has no level; declared {Figures.Format(card.DeclaredEntityLevel)}");
        else
            lines.Add($"mean of {assessed.Count} assessed areas = {Versus(card.EntityLevel, card.DeclaredEntityLevel)}");

        var inconsistent = card.Areas.Where(a => Differs(a.DeclaredMean, a.Mean)).ToList();
        if (inconsistent.Count > 0)
            lines.AddRange(inconsistent.Select(a =>
                $"area {a.Number}: computed MEDIA {Figures.Format(a.Mean)}, declared {Figures.Format(a.DeclaredMean)}"));
        else
            // No area explains it on its own: show what the level is made of.
            lines.AddRange(assessed.Select(a => $"area {a.Number} = {Figures.Format(a.Mean)}"));
        if (notAssessed.Count > 0)
            lines.Add($"not assessed, left out of the mean: {string.Join(", ", notAssessed)}");
        return lines;
    }
}
