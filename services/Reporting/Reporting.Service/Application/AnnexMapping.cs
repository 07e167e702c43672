using PerfPlatform.Reporting.Domain;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Reporting.Application;

/// <summary>The owners' contracts (Objectives' year tree, Scoring's scorecard) as the annex's plain model.</summary>
public static class AnnexMapping
{
    public static AnnexPlan ToPlan(ObjectivesV1.YearTree tree) => new(
        tree.EntityName, tree.MandateStartYear, tree.MandateEndYear, tree.Year, tree.Version, Figure(tree.DeclaredEntityLevel),
        tree.Areas.Select(a => new AnnexArea(a.Number, a.Name, a.Footnote, Figure(a.DeclaredMean),
            a.StrategicObjectives.Select(s => new AnnexStrategicObjective(s.Code, s.Title, Figure(s.Realization), Figure(s.Declared),
                s.OperationalObjectives.OrderBy(o => o.Position).Select(o => new AnnexOperationalObjective(
                    o.Id, o.Title, o.BesDimensions.Select(Bes).Where(b => b.Length > 0).ToList(), o.CrossCutting, o.InterSectorNote,
                    o.FundingReferences.ToList(), o.Sectors.ToList(), (decimal)o.Weight, Figure(o.Realization))).ToList())).ToList())).ToList());

    public static AnnexScores ToScores(ScoringV1.Scorecard card, ScoringV1.Breakdown? byBes, ScoringV1.Breakdown? bySector) => new(
        card.Version, Value(card.EntityLevel), card.HasDeclaredEntityLevel ? Value(card.DeclaredEntityLevel) : null,
        card.Areas.Select(a => new AreaScores(a.Number, Value(a.Computed), a.HasDeclared ? Value(a.Declared) : null,
            a.StrategicObjectives.Select(s => new StrategicScore(s.Code, Value(s.Computed), s.HasDeclared ? Value(s.Declared) : null)).ToList())).ToList(),
        card.Discrepancies.Select(d => new DiscrepancyItem(Level(d.Level), d.Key, d.Label, Value(d.Declared), Value(d.Computed), Value(d.Difference),
            d.Causes.Select(c => new CauseItem((DiscrepancyCause)(int)c.Cause, c.ChildKeys.ToList(), Value(c.Reproduced), c.ReproducesDeclared, c.Decimals, c.ChildrenTaken)).ToList(),
            d.Calculation is { } calc ? new CalculationItem((CalculationRule)(int)calc.Rule, Value(calc.Result),
                calc.Inputs.Select(i => new CalculationInput(Level(i.Level), i.Key, i.Label, Value(i.Value), (decimal)i.Weight, i.Included)).ToList()) : null)).ToList(),
        Rows(byBes), Rows(bySector));

    private static IReadOnlyList<BreakdownItem> Rows(ScoringV1.Breakdown? b) =>
        b?.Rows.Select(r => new BreakdownItem(r.Key, r.OperationalObjectives, r.Assessed, Value(r.Mean))).ToList() ?? [];

    private static Domain.Figure Figure(ObjectivesV1.Realization? r) => r?.KindCase switch
    {
        ObjectivesV1.Realization.KindOneofCase.Value => Domain.Figure.Of((decimal)r.Value),
        ObjectivesV1.Realization.KindOneofCase.NotAssessed => Domain.Figure.Slash,
        _ => Domain.Figure.None,
    };

    private static decimal? Value(ScoringV1.Score? s) => s is { HasValue: true } ? (decimal)s.Value : null;

    private static string Bes(ObjectivesV1.BesDimension d) => d switch
    {
        ObjectivesV1.BesDimension.Istituzionale => "Istituzionale",
        ObjectivesV1.BesDimension.Sociale => "Sociale",
        ObjectivesV1.BesDimension.Economico => "Economico",
        ObjectivesV1.BesDimension.Ambientale => "Ambientale",
        _ => "",
    };

    private static FigureLevel Level(ScoringV1.ScoreLevel level) => level switch
    {
        ScoringV1.ScoreLevel.Area => FigureLevel.Area,
        ScoringV1.ScoreLevel.Entity => FigureLevel.Entity,
        ScoringV1.ScoreLevel.OperationalObjective => FigureLevel.OperationalObjective,
        _ => FigureLevel.StrategicObjective,
    };
}
