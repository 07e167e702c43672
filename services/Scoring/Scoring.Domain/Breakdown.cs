namespace PerfPlatform.Scoring.Domain;

/// <summary>Operational objectives grouped by one label (BES dimension or responsible sector).</summary>
public sealed record Breakdown(string GroupedBy, IReadOnlyList<BreakdownRow> Rows);

/// <summary>
/// One group: how many operational objectives it holds, how many have an effective value, and their
/// mean (rounded; null when none is assessed).
/// </summary>
public sealed record BreakdownRow(string Key, int OperationalObjectives, int Assessed, decimal? Mean);

internal static class Breakdowns
{
    public const string NoDimension = "Nessuna";
    public const string NoSector = "Non assegnato";

    public static Breakdown ByBesDimension(Scorecard card) =>
        By(card, "BES dimension", o => o.BesDimensions, NoDimension);

    public static Breakdown ByResponsibleSector(Scorecard card) =>
        By(card, "Responsible sector", o => o.Sectors, NoSector);

    /// <remarks>
    /// Plain mean of effective values: weights are relative within one strategic objective, so they do
    /// not compare across the plan. An objective with several labels counts once in each.
    /// </remarks>
    private static Breakdown By(
        Scorecard card, string groupedBy, Func<OperationalObjectiveInput, IReadOnlyList<string>> labels, string fallback)
    {
        var groups = new Dictionary<string, Group>(StringComparer.OrdinalIgnoreCase);
        foreach (var objective in card.Areas.SelectMany(a => a.StrategicObjectives))
            foreach (var operational in objective.OperationalObjectives)
            {
                var value = objective.EffectiveValueOf(operational);
                var keys = (labels(operational) ?? [])
                    .Where(l => !string.IsNullOrWhiteSpace(l))
                    .Select(l => l.Trim())
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .DefaultIfEmpty(fallback);
                foreach (var key in keys)
                {
                    if (!groups.TryGetValue(key, out var group))
                        groups[key] = group = new Group(key); // first spelling met names the group
                    group.Add(value);
                }
            }

        var rows = groups.Values
            .OrderBy(g => g.Key == fallback ? 1 : 0)
            .ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => new BreakdownRow(g.Key, g.Count, g.Values.Count, RollUp.Round(g.Values.Value)))
            .ToList();
        return new Breakdown(groupedBy, rows);
    }

    private sealed class Group(string key)
    {
        public string Key { get; } = key;
        public int Count { get; private set; }
        public RunningMean Values { get; } = new();

        public void Add(decimal? value)
        {
            Count++;
            if (value is { } v) Values.Add(v);
        }
    }
}
