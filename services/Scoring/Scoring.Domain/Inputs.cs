namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// An obiettivo operativo as the Scoring read model holds it.
/// </summary>
/// <param name="Weight">Peso within its strategic objective; 1 when weights are not set (equal weights). Must be &gt; 0.</param>
/// <param name="Value">% realizzazione 0–100, or null when not assessed ("/").</param>
/// <param name="BesDimensions">BES dimensions it serves ("Istituzionale", "Sociale", …); empty when unlabelled.</param>
/// <param name="Sectors">Responsible sectors (settori); empty when none is assigned.</param>
public sealed record OperationalObjectiveInput(
    Guid Id,
    string Title,
    decimal Weight,
    decimal? Value,
    IReadOnlyList<string> BesDimensions,
    IReadOnlyList<string> Sectors);

/// <summary>
/// One obiettivo strategico with its operational objectives for the year: the unit the Objectives
/// service's events carry, and the unit the scorecard recomputes.
/// </summary>
/// <param name="Code">"area.n", e.g. "1.13".</param>
/// <param name="AreaNumber">The area strategica it belongs to (it may move between areas).</param>
/// <param name="OwnValue">% entered or declared at strategic-objective level; it stands only when none of
/// the operational objectives is assessed (null = none, or not assessed).</param>
/// <param name="DeclaredValue">% printed in an imported report, kept to check it against the computed score.</param>
/// <param name="Version">Version of the event that produced this state; older or equal versions are ignored.</param>
public sealed record StrategicObjectiveBranch(
    string Code,
    int AreaNumber,
    string Title,
    decimal? OwnValue,
    decimal? DeclaredValue,
    IReadOnlyList<OperationalObjectiveInput> OperationalObjectives,
    long Version);

/// <summary>An area strategica: its name and the MEDIA printed in a report (null when none is printed).</summary>
public sealed record AreaInfo(int Number, string Name, decimal? DeclaredMean);
