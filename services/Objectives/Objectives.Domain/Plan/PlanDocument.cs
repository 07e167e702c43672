namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// A year's plan as a whole, independent of where it came from: what every importer produces
/// (the Relazione text, the canonical CSV/XLSX) and what the exporter writes.
/// </summary>
public sealed record PlanDocument(
    string EntityName,
    int MandateStartYear,
    int MandateEndYear,
    int Year,
    IReadOnlyList<AreaDraft> Areas,
    Realization? DeclaredEntityLevel);

/// <summary>An area strategica. <see cref="DeclaredMean"/> is the MEDIA printed in a report (null when none is printed).</summary>
public sealed record AreaDraft(
    int Number,
    string Name,
    string? Footnote,
    Realization? DeclaredMean,
    IReadOnlyList<StrategicObjectiveDraft> StrategicObjectives);

/// <summary>
/// An obiettivo strategico of the mandate, coded "area.n". <see cref="DeclaredRealization"/> is the %
/// a report gives for it this year (null when none is given).
/// </summary>
public sealed record StrategicObjectiveDraft(
    string Code,
    string Title,
    Realization? DeclaredRealization,
    IReadOnlyList<OperationalObjectiveDraft> OperationalObjectives)
{
    /// <summary>
    /// The value currently recorded at this level, when it differs from the declared one (a value set after an
    /// import). Null means: the declared value, if any, is the current one.
    /// </summary>
    public Realization? CurrentRealization { get; init; }
}

/// <summary>
/// An obiettivo operativo of one year. <see cref="Title"/> keeps the full text as written (labels included);
/// <see cref="Labels"/> is what was read from it.
/// </summary>
public sealed record OperationalObjectiveDraft(
    string Title,
    OperationalObjectiveLabels Labels,
    decimal Weight,
    Realization? Realization,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<IndicatorDraft> Indicators)
{
    public static OperationalObjectiveDraft FromText(string title) =>
        new(title, OperationalObjectiveLabels.Parse(title), 1m, null, [], []);
}

public enum IndicatorDirection
{
    /// <summary>Higher is better.</summary>
    Increase = 0,
    /// <summary>Lower is better.</summary>
    Decrease = 1,
    /// <summary>Hit the target exactly.</summary>
    Target = 2,
}

/// <summary>An indicatore: baseline, target and actual value in a unit, with the direction that counts as better.</summary>
public sealed record IndicatorDraft(
    string Name,
    decimal? Baseline,
    decimal? Target,
    decimal? Actual,
    string? Unit,
    IndicatorDirection Direction);
