namespace PerfPlatform.Reporting.Domain;

/// <summary>
/// A figure as the annex prints it: a percentage, "/" (not assessed this year: left out of every mean) or nothing.
/// </summary>
public readonly record struct Figure(decimal? Value, bool NotAssessed)
{
    public static Figure None => default;
    public static Figure Slash => new(null, true);
    public static Figure Of(decimal? value) => new(value, false);
    public bool HasValue => Value.HasValue;
}

/// <summary>What a report reflects: the plan at <see cref="AnnexPlan.Version"/>, the scores at <see cref="AnnexScores.Version"/>.</summary>
public sealed record Annex(AnnexPlan Plan, AnnexScores Scores, DateTimeOffset GeneratedAt)
{
    public int Year => Plan.Year;

    public AreaScores? ScoresOf(int area) => Scores.Areas.FirstOrDefault(a => a.Number == area);

    public StrategicScore? ScoresOf(int area, string code) =>
        ScoresOf(area)?.StrategicObjectives.FirstOrDefault(s => s.Code == code);
}

/// <summary>The plan of a year as Objectives holds it.</summary>
public sealed record AnnexPlan(
    string EntityName,
    int MandateStartYear,
    int MandateEndYear,
    int Year,
    long Version,
    Figure DeclaredEntityLevel,
    IReadOnlyList<AnnexArea> Areas);

public sealed record AnnexArea(int Number, string Name, string Footnote, Figure DeclaredMean, IReadOnlyList<AnnexStrategicObjective> StrategicObjectives);

/// <param name="Realization">The value recorded at strategic-objective level (an imported report gives % per strategic objective).</param>
/// <param name="Declared">The % the imported report declared, kept as declared.</param>
public sealed record AnnexStrategicObjective(
    string Code,
    string Title,
    Figure Realization,
    Figure Declared,
    IReadOnlyList<AnnexOperationalObjective> OperationalObjectives);

/// <param name="BesDimensions">"Istituzionale", "Sociale", "Economico", "Ambientale".</param>
/// <param name="Funding">PNRR and CIS references, as written.</param>
public sealed record AnnexOperationalObjective(
    string Id,
    string Title,
    IReadOnlyList<string> BesDimensions,
    bool CrossCutting,
    string InterSectorNote,
    IReadOnlyList<string> Funding,
    IReadOnlyList<string> Sectors,
    decimal Weight,
    Figure Realization);

/// <summary>The scores of a year as Scoring computed them. <see cref="Version"/> 0: not scored yet.</summary>
public sealed record AnnexScores(
    long Version,
    decimal? EntityLevel,
    decimal? DeclaredEntityLevel,
    IReadOnlyList<AreaScores> Areas,
    IReadOnlyList<DiscrepancyItem> Discrepancies,
    IReadOnlyList<BreakdownItem> ByBesDimension,
    IReadOnlyList<BreakdownItem> BySector)
{
    public static AnnexScores NotYetScored { get; } = new(0, null, null, [], [], [], []);
}

public sealed record AreaScores(int Number, decimal? Computed, decimal? Declared, IReadOnlyList<StrategicScore> StrategicObjectives);

public sealed record StrategicScore(string Code, decimal? Computed, decimal? Declared);

public enum FigureLevel { StrategicObjective, Area, Entity, OperationalObjective }

/// <summary>A declared figure that differs from the computed one, with what Scoring found reproduces it.</summary>
public sealed record DiscrepancyItem(
    FigureLevel Level,
    string Key,
    string Label,
    decimal? Declared,
    decimal? Computed,
    decimal? Difference,
    IReadOnlyList<CauseItem> Causes,
    CalculationItem? Calculation);

public enum DiscrepancyCause { Unspecified, ChildLeftOut, ChildCountedTwice, DeclaredChildValue, StaleChildValue, RoundedBefore, RoundedAfter, NoneFound }

/// <param name="ChildrenTaken">How many of <paramref name="ChildKeys"/> the cause takes: fewer than listed means they are
/// alternatives ("one of these was left out"), as Scoring's contract says.</param>
public sealed record CauseItem(DiscrepancyCause Cause, IReadOnlyList<string> ChildKeys, decimal? Reproduced, bool ReproducesDeclared, int Decimals,
    int ChildrenTaken = 0);

public enum CalculationRule { Unspecified, MeanOfAssessed, OwnValue, NotAssessed }

public sealed record CalculationItem(CalculationRule Rule, decimal? Result, IReadOnlyList<CalculationInput> Inputs);

public sealed record CalculationInput(FigureLevel Level, string Key, string Label, decimal? Value, decimal Weight, bool Included);

/// <summary>One row of a breakdown by BES dimension or by sector.</summary>
public sealed record BreakdownItem(string Key, int OperationalObjectives, int Assessed, decimal? Mean);
