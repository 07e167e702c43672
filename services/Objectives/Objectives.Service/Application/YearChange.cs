using System.Globalization;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>
/// One mutation as the year's writer applies it: the loaded year, and what the mutation touched, recorded and
/// valued, from which the writer builds the version, the audit records and the event.
/// </summary>
public sealed class YearChange
{
    private readonly List<AuditRecord> _audit = [];
    private readonly List<RealizationEntry> _entries = [];

    internal YearChange(ObjectivesDbContext db, int year, PlanYear? plan, Actor actor, string? traceId, DateTimeOffset now, string reason)
    {
        Db = db;
        Year = year;
        Plan = plan;
        Actor = actor;
        TraceId = traceId;
        Now = now;
        Reason = reason;
    }

    public ObjectivesDbContext Db { get; }
    public int Year { get; }
    /// <summary>The loaded year; null only for an import of a year not held yet, which sets it.</summary>
    public PlanYear? Plan { get; set; }
    public Actor Actor { get; }
    public string? TraceId { get; }
    public DateTimeOffset Now { get; }
    /// <summary>The event's reason and the audit records' change.</summary>
    public string Reason { get; set; }

    /// <summary>Strategic-objective branches whose content the event carries.</summary>
    public HashSet<StrategicObjective> Touched { get; } = [];
    public HashSet<string> Removed { get; } = [];
    public List<Area> Areas { get; } = [];
    /// <summary>The event carries the whole year (import, resync).</summary>
    public bool WholeYear { get; set; }
    /// <summary>The mutation set the year's version itself (an import's new copy).</summary>
    public bool VersionAssigned { get; set; }
    /// <summary>The copy a replace import archives; the writer saves it before adding the new <see cref="Plan"/>.</summary>
    public PlanYear? Archived { get; set; }
    /// <summary>A resync: publishes the year as it is, at its version, and records nothing.</summary>
    public bool Republish { get; set; }

    internal IReadOnlyList<AuditRecord> AuditRecords => _audit;
    internal IReadOnlyList<RealizationEntry> Entries => _entries;
    /// <summary>
    /// Whether there is anything to save: every change of content leaves an audit record, so a mutation that left none
    /// (the same title, the same value) changes nothing and bumps no version, records nothing and sends no event.
    /// </summary>
    internal bool HasChanges => Republish || VersionAssigned || Archived is not null || _audit.Count > 0;

    public PlanYear RequirePlan() => Plan ?? throw new PlanItemNotFoundException("year", Year.ToString(CultureInfo.InvariantCulture));

    /// <summary>One changed field; a field whose value did not change leaves no record.</summary>
    public void Audit(string entityKind, string entityKey, string? objectiveCode, string field, string? oldValue, string? newValue, string? note = null)
    {
        if (oldValue == newValue && field is not ("realization" or "created" or "deleted")) return;
        _audit.Add(PlanRecords.Audit(Year, Actor, TraceId, Now, Reason, entityKind, entityKey, objectiveCode, field, oldValue, newValue, note));
    }

    /// <summary>A value recorded on an objective: its history entry and its audit record.</summary>
    public RealizationEntry Value(StrategicObjective? strategic, OperationalObjective? operational, Realization value, DateOnly asOf,
        string? note, string source)
    {
        var plan = RequirePlan();
        var entry = PlanRecords.Entry(plan.Id, strategic?.Id, operational?.Id, value, asOf, note, Now, Actor, source, plan.Version,
            YearWorkflow.PeriodOf(plan.State));
        Db.RealizationEntries.Add(entry);
        _entries.Add(entry);
        return entry;
    }
}

/// <summary>The one place a history entry and an audit record are built, for every path that writes them.</summary>
internal static class PlanRecords
{
    public static RealizationEntry Entry(Guid planId, Guid? strategicId, Guid? operationalId, Realization value, DateOnly asOf, string? note,
        DateTimeOffset now, Actor actor, string source, long version, ValuePeriod period) => new()
    {
        Id = Guid.NewGuid(), PlanYearId = planId, StrategicObjectiveId = strategicId, OperationalObjectiveId = operationalId,
        Realization = value, AsOf = asOf, Note = Blank(note), RecordedAt = now, RecordedBy = actor.Name, Source = source, Version = version,
        Period = period,
    };

    public static AuditRecord Audit(int year, Actor actor, string? traceId, DateTimeOffset now, string change, string entityKind, string entityKey,
        string? objectiveCode, string field, string? oldValue, string? newValue, string? note) => new()
    {
        At = now, Actor = actor.Name, ActorSubject = actor.Subject, Year = year, Change = change, EntityKind = entityKind, EntityKey = entityKey, ObjectiveCode = objectiveCode,
        Field = field, OldValue = oldValue, NewValue = newValue, Note = Blank(note), TraceId = traceId,
    };

    /// <summary>A value as the audit trail writes it: invariant number, "/" for not assessed, null for none.</summary>
    public static string? Text(Realization? value) => value switch
    {
        null => null,
        { Value: { } v } => Text(v),
        _ => "/",
    };

    /// <summary>Without the trailing zeros a provider's scale adds (2.0000 is 2).</summary>
    public static string Text(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    public static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
