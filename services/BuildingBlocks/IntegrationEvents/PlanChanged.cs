namespace PerfPlatform.IntegrationEvents;

/// <summary>
/// Published by Objectives after every accepted change that can move a percentage: a value set, an import,
/// a weight changed, an objective created, moved or removed. It carries the full current state of every
/// strategic-objective branch the change touched (event-carried state), so a subscriber never has to call
/// back, and <see cref="PlanVersion"/> so that a late, older event can be recognised and ignored.
/// </summary>
public sealed record PlanChanged
{
    /// <summary>The reason of a republish (Objectives.RepublishYear): the whole year at its version, to be applied as a full replacement.</summary>
    public const string ResyncReason = "resync";

    public required Guid EventId { get; init; }
    public required int Year { get; init; }
    /// <summary>The year's version after the change; strictly increasing per year.</summary>
    public required long PlanVersion { get; init; }
    /// <summary>What happened: "import", "realization-set", "objective-created", "objective-updated", "objective-moved", "objective-deleted", ...</summary>
    public required string Reason { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>Who made the change.</summary>
    public string? ChangedBy { get; init; }

    /// <summary>Areas whose name or declared mean is set by this change (all of them on an import).</summary>
    public IReadOnlyList<AreaSnapshot> Areas { get; init; } = [];
    /// <summary>The entity level declared by an imported report; only meaningful when <see cref="DeclaredEntityLevelIncluded"/>.</summary>
    public decimal? DeclaredEntityLevel { get; init; }
    public bool DeclaredEntityLevelIncluded { get; init; }
    /// <summary>Current state of each touched strategic objective with all its operational objectives.</summary>
    public IReadOnlyList<StrategicObjectiveSnapshot> StrategicObjectives { get; init; } = [];
    /// <summary>Codes of strategic objectives that no longer exist in the year.</summary>
    public IReadOnlyList<string> RemovedStrategicObjectiveCodes { get; init; } = [];

    /// <summary>
    /// The year's workflow state after the change: "planning", "monitoring", "final", "validated", "published"
    /// (null from a publisher older than the workflow). A change of state alone comes with reason "workflow".
    /// </summary>
    public string? YearState { get; init; }
    /// <summary>The period the year's values belong to as of this event: "monitoring" (30 June) or "final" (31 December).</summary>
    public string? Period { get; init; }
}

public sealed record AreaSnapshot(int Number, string Name, decimal? DeclaredMean);

/// <param name="OwnValue">The value recorded at strategic-objective level (null: none, or not assessed).</param>
/// <param name="DeclaredValue">The % printed in an imported report, kept as declared (null: none).</param>
public sealed record StrategicObjectiveSnapshot(
    string Code,
    int AreaNumber,
    string Title,
    decimal? OwnValue,
    decimal? DeclaredValue,
    IReadOnlyList<OperationalObjectiveSnapshot> OperationalObjectives);

/// <param name="Value">The current realization % (null: none, or not assessed).</param>
public sealed record OperationalObjectiveSnapshot(
    Guid Id,
    string Title,
    decimal Weight,
    decimal? Value,
    IReadOnlyList<string> BesDimensions,
    IReadOnlyList<string> Sectors);
