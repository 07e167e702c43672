using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Infrastructure;

// Storage shape of the plan. Each year holds its own copy of the mandate's areas and strategic
// objectives, as each year's PIAO restates them; a code names the same objective across years.

public sealed class PlanYear
{
    public Guid Id { get; set; }
    public int Year { get; set; }
    public required string EntityName { get; set; }
    public int MandateStartYear { get; set; }
    public int MandateEndYear { get; set; }
    /// <summary>Bumped by every accepted change. Changes to a year are serialised on it, by the database (<see cref="VersionBase"/>).</summary>
    public long Version { get; set; }
    /// <summary>
    /// The version the last update of this row was made from: the database refuses an update whose base is not the
    /// row's version (BuildingBlocks' VersionCheck), so a writer that read an older year writes nothing. Set by
    /// <see cref="ObjectivesDbContext"/> on every save.
    /// </summary>
    public long? VersionBase { get; set; }
    public Realization? DeclaredEntityLevel { get; set; }
    public string? SourceDocument { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Where the year stands in its workflow; every step bumps <see cref="Version"/>.</summary>
    public YearState State { get; set; }
    /// <summary>Set when a replace import archived this copy: it stays readable, never deleted.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }
    public string? ArchivedBy { get; set; }
    public List<Area> Areas { get; set; } = [];
}

public sealed class Area
{
    public Guid Id { get; set; }
    public Guid PlanYearId { get; set; }
    public int Number { get; set; }
    public required string Name { get; set; }
    public string? Footnote { get; set; }
    public Realization? DeclaredMean { get; set; }
    public List<StrategicObjective> StrategicObjectives { get; set; } = [];
}

public sealed class StrategicObjective
{
    public Guid Id { get; set; }
    public Guid PlanYearId { get; set; }
    public Guid AreaId { get; set; }
    public Area Area { get; set; } = null!;
    public required string Code { get; set; }
    public required string Title { get; set; }
    public int Position { get; set; }
    /// <summary>The latest value recorded at this level (the history is in <see cref="RealizationEntry"/>).</summary>
    public Realization? Realization { get; set; }
    /// <summary>The % an imported report declared, kept as declared.</summary>
    public Realization? Declared { get; set; }
    /// <summary>The note given with the value in force: a deviation's explanation (docs/domain.md, "Deviations").</summary>
    public string? Explanation { get; set; }
    public List<OperationalObjective> OperationalObjectives { get; set; } = [];
}

public sealed class OperationalObjective
{
    public Guid Id { get; set; }
    public Guid PlanYearId { get; set; }
    public Guid StrategicObjectiveId { get; set; }
    public StrategicObjective StrategicObjective { get; set; } = null!;
    public int Position { get; set; }
    public required string Title { get; set; }
    public BesDimension Bes { get; set; }
    public bool CrossCutting { get; set; }
    public string? InterSectorNote { get; set; }
    public List<string> FundingReferences { get; set; } = [];
    public List<string> Sectors { get; set; } = [];
    public decimal Weight { get; set; } = 1m;
    public List<Indicator> Indicators { get; set; } = [];
    /// <summary>The latest value recorded (the history is in <see cref="RealizationEntry"/>).</summary>
    public Realization? Realization { get; set; }
    /// <summary>The note given with the value in force: a deviation's explanation.</summary>
    public string? Explanation { get; set; }

    public void ApplyLabelsFrom(string title)
    {
        Title = title;
        var labels = OperationalObjectiveLabels.Parse(title);
        Bes = labels.Bes;
        CrossCutting = labels.CrossCutting;
        InterSectorNote = labels.InterSectorNote;
        FundingReferences = [.. labels.FundingReferences];
    }
}

public sealed class Indicator
{
    public required string Name { get; set; }
    public decimal? Baseline { get; set; }
    public decimal? Target { get; set; }
    public decimal? Actual { get; set; }
    public string? Unit { get; set; }
    public IndicatorDirection Direction { get; set; }
}

/// <summary>One recorded value: who set what, for which date, when. Never updated or deleted.</summary>
public sealed class RealizationEntry
{
    public Guid Id { get; set; }
    public Guid PlanYearId { get; set; }
    public Guid? OperationalObjectiveId { get; set; }
    public Guid? StrategicObjectiveId { get; set; }
    public Realization Realization { get; set; }
    public DateOnly AsOf { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public required string RecordedBy { get; set; }
    public required string Source { get; set; }
    public long Version { get; set; }
    /// <summary>The period the value belongs to, from the year's state when it was recorded.</summary>
    public ValuePeriod Period { get; set; }
}

/// <summary>
/// One changed field of one change: who, when, what, from which value to which, why. Append-only: nothing in the
/// service updates or deletes a record. <see cref="Id"/> increases with every record and is the list's page token.
/// </summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    /// <summary>The bearer token's subject of <see cref="Actor"/>; null for changes made without a token (the seed, Auth:Disabled).</summary>
    public string? ActorSubject { get; set; }
    public int Year { get; set; }
    /// <summary>The year's version the change produced.</summary>
    public long Version { get; set; }
    /// <summary>The change, as the event's reason: "realization-set", "objective-moved", "import", "workflow", ...</summary>
    public required string Change { get; set; }
    /// <summary>"year", "area", "strategic-objective", "operational-objective".</summary>
    public required string EntityKind { get; set; }
    /// <summary>The year, the area number, the strategic code or the operational objective's id.</summary>
    public required string EntityKey { get; set; }
    /// <summary>The strategic objective the entity belongs to (its own code for one), for filtering by objective.</summary>
    public string? ObjectiveCode { get; set; }
    public required string Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public string? Note { get; set; }
    public string? TraceId { get; set; }
}
