namespace PerfPlatform.Scoring.Domain;

/// <summary>A slip that may explain a declared figure (see <see cref="DeclaredFigureCheck"/>). Numbered as the contract's DiscrepancyCause.</summary>
public enum DiscrepancyCause
{
    /// <summary>The declared figure is the mean without some of the children.</summary>
    ChildLeftOut = 1,
    /// <summary>The declared figure is the mean with a child counted twice.</summary>
    ChildCountedTwice = 2,
    /// <summary>The declared figure follows from a child's declared value instead of its computed one.</summary>
    DeclaredChildValue = 3,
    /// <summary>The declared figure follows from a child's value before its latest change.</summary>
    StaleChildValue = 4,
    /// <summary>The children were rounded (to <see cref="DiscrepancyExplanation.Decimals"/>) before the mean was taken.</summary>
    RoundedBefore = 5,
    /// <summary>The mean was truncated, or rounded to fewer decimals, instead of rounded to two.</summary>
    RoundedAfter = 6,
    /// <summary>Nothing tried reproduces the declared figure.</summary>
    NoneFound = 7,
}

/// <summary>
/// One cause that reproduces a declared figure (to two decimals), or <see cref="DiscrepancyCause.NoneFound"/>.
/// </summary>
/// <param name="ChildKeys">The children the cause names (codes, area numbers, operational objective ids), in
/// document order. When there are more of them than <paramref name="ChildrenTaken"/>, they are alternatives:
/// any <paramref name="ChildrenTaken"/> of them give the same figure (area 1 of 2023: leaving out any one of the
/// seven objectives at 100 gives 99,52, and the figures cannot tell which one was).</param>
/// <param name="ChildValue">The value the named children share in this cause: the value left out or counted
/// twice, the declared or previous value used; null when they do not share one.</param>
/// <param name="Reproduced">The figure the cause gives (equal to the declared one to two decimals, except for NoneFound: null).</param>
/// <param name="Decimals">For the rounding causes: the decimals rounded or truncated to.</param>
/// <param name="Truncated">For <see cref="DiscrepancyCause.RoundedAfter"/>: cut instead of rounded.</param>
public sealed record DiscrepancyExplanation(
    DiscrepancyCause Cause,
    IReadOnlyList<string> ChildKeys,
    int ChildrenTaken,
    decimal? ChildValue,
    decimal? Reproduced,
    int Decimals = 2,
    bool Truncated = false)
{
    public bool ReproducesDeclared => Cause != DiscrepancyCause.NoneFound;

    /// <summary>More candidates than the cause takes: the figures do not tell which.</summary>
    public bool HasAlternatives => ChildKeys.Count > ChildrenTaken;
}

/// <summary>
/// The one rule for explaining a declared figure that differs from the computed one. It tries, on the
/// figure's assessed children as its calculation counts them, each of these slips and keeps those that give
/// the declared figure to two decimals: a child left out (each one, then each pair when no single one
/// does), a child counted twice, a child's declared value used instead of its computed one (each, then all
/// together), a child's previous value (only where it is known), the children rounded to 0 or 1 decimals
/// before the mean, the mean truncated to 2, 1 or 0 decimals or rounded to 1 or 0. Children with the same
/// value and weight are interchangeable, so they are reported once, as alternatives.
/// </summary>
public static class DeclaredFigureCheck
{
    // Pairs cost n²/2 means: cheap for an area or the entity, bounded for a strategic objective with many children.
    private const int MaxChildrenForPairs = 60;

    public static IReadOnlyList<DiscrepancyExplanation> FindCauses(Calculation calculation)
    {
        ArgumentNullException.ThrowIfNull(calculation);
        if (calculation.Declared is not { } declaredValue) return [];
        var target = RollUp.Round(declaredValue);
        var children = calculation.IncludedInputs.Select(i => new Child(i.Key, i.Value!.Value, i.Weight, i.Declared, i.Previous)).ToList();
        var found = new List<DiscrepancyExplanation>();
        if (children.Count > 0)
        {
            LeftOut(children, target, found);
            CountedTwice(children, target, found);
            Substituted(children, target, DiscrepancyCause.DeclaredChildValue, c => c.Declared, found);
            Substituted(children, target, DiscrepancyCause.StaleChildValue, c => c.Previous, found);
            RoundedBefore(children, target, found);
            RoundedAfter(children, target, found);
        }
        return found.Count > 0 ? found : [new DiscrepancyExplanation(DiscrepancyCause.NoneFound, [], 0, null, null)];
    }

    private sealed record Child(string Key, decimal Value, decimal Weight, decimal? Declared, decimal? Previous);

    private static decimal? MeanOf(IEnumerable<(decimal Value, decimal Weight)> entries) =>
        RollUp.Round(RollUp.WeightedMean(entries.Select(e => ((decimal?)e.Value, e.Weight))));

    private static IEnumerable<(decimal, decimal)> Entries(IEnumerable<Child> children) => children.Select(c => (c.Value, c.Weight));

    private static List<List<Child>> Interchangeable(List<Child> children) =>
        children.GroupBy(c => (c.Value, c.Weight)).Select(g => g.ToList()).ToList();

    private static DiscrepancyExplanation Explanation(DiscrepancyCause cause, IEnumerable<Child> named, int taken, decimal? value, decimal? reproduced) =>
        new(cause, named.Select(c => c.Key).ToList(), taken, value, reproduced);

    private static void LeftOut(List<Child> children, decimal target, List<DiscrepancyExplanation> found)
    {
        if (children.Count < 2) return;
        var groups = Interchangeable(children);
        var singles = found.Count;
        foreach (var group in groups)
        {
            var mean = MeanOf(Entries(children.Where(c => c != group[0])));
            if (mean == target) found.Add(Explanation(DiscrepancyCause.ChildLeftOut, group, 1, group[0].Value, mean));
        }
        if (found.Count > singles || children.Count < 3 || children.Count > MaxChildrenForPairs) return;

        for (var i = 0; i < groups.Count; i++)
            for (var j = i; j < groups.Count; j++)
            {
                var (a, b) = (groups[i], groups[j]);
                if (i == j && a.Count < 2) continue;
                var second = i == j ? a[1] : b[0];
                var mean = MeanOf(Entries(children.Where(c => c != a[0] && c != second)));
                if (mean != target) continue;
                if (i == j)
                    found.Add(Explanation(DiscrepancyCause.ChildLeftOut, a, 2, a[0].Value, mean));
                else if (a.Count == 1 && b.Count == 1)
                    found.Add(Explanation(DiscrepancyCause.ChildLeftOut, [a[0], b[0]], 2, null, mean));
                else
                    // Different values with several candidates each: name every concrete pair.
                    foreach (var x in a)
                        foreach (var y in b)
                            found.Add(Explanation(DiscrepancyCause.ChildLeftOut, [x, y], 2, null, mean));
            }
    }

    private static void CountedTwice(List<Child> children, decimal target, List<DiscrepancyExplanation> found)
    {
        foreach (var group in Interchangeable(children))
        {
            var mean = MeanOf(Entries(children.Append(group[0])));
            if (mean == target) found.Add(Explanation(DiscrepancyCause.ChildCountedTwice, group, 1, group[0].Value, mean));
        }
    }

    private static void Substituted(
        List<Child> children, decimal target, DiscrepancyCause cause, Func<Child, decimal?> other, List<DiscrepancyExplanation> found)
    {
        var differing = children.Where(c => other(c) is { } v && RollUp.Round(v) != c.Value).ToList();
        decimal? With(IReadOnlyCollection<Child> replaced) =>
            MeanOf(children.Select(c => replaced.Contains(c) ? (RollUp.Round(other(c)!.Value), c.Weight) : (c.Value, c.Weight)));
        var singles = found.Count;
        foreach (var child in differing)
            if (With([child]) is { } mean && mean == target)
                found.Add(Explanation(cause, [child], 1, RollUp.Round(other(child)), mean));
        if (found.Count == singles && differing.Count > 1 && With(differing) is { } all && all == target)
            found.Add(Explanation(cause, differing, differing.Count, null, all));
    }

    private static void RoundedBefore(List<Child> children, decimal target, List<DiscrepancyExplanation> found)
    {
        foreach (var decimals in new[] { 1, 0 })
        {
            var mean = MeanOf(children.Select(c => (decimal.Round(c.Value, decimals, MidpointRounding.AwayFromZero), c.Weight)));
            if (mean == target)
                found.Add(new DiscrepancyExplanation(DiscrepancyCause.RoundedBefore, [], 0, null, mean, decimals));
        }
    }

    private static void RoundedAfter(List<Child> children, decimal target, List<DiscrepancyExplanation> found)
    {
        var mean = RollUp.WeightedMean(children.Select(c => ((decimal?)c.Value, c.Weight)))!.Value;
        foreach (var (decimals, truncated) in new[] { (2, true), (1, false), (1, true), (0, false), (0, true) })
        {
            var figure = decimal.Round(mean, decimals, truncated ? MidpointRounding.ToZero : MidpointRounding.AwayFromZero);
            if (figure == target)
                found.Add(new DiscrepancyExplanation(DiscrepancyCause.RoundedAfter, [], 0, null, figure, decimals, truncated));
        }
    }
}
