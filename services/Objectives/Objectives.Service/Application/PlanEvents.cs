using PerfPlatform.IntegrationEvents;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>Builds the integration events from the stored plan: one place for the event's shape.</summary>
internal static class PlanEvents
{
    public const string RealizationSetReason = "realization-set";

    public static PlanChanged Changed(PlanYear plan, string reason, string author, DateTimeOffset now,
        IEnumerable<StrategicObjective> touched, IEnumerable<string> removed, IEnumerable<Area> areas, bool includeEntityLevel) =>
        Event(plan.Year, plan.Version, plan.State, reason, author, now, touched.Select(Snapshot), removed,
            areas.Select(a => new AreaSnapshot(a.Number, a.Name, a.DeclaredMean?.Value)), includeEntityLevel, plan.DeclaredEntityLevel);

    /// <summary>A value set on a strategic objective: its branch, nothing else.</summary>
    public static PlanChanged RealizationSet(int year, long version, YearState state, string author, DateTimeOffset now, StrategicObjectiveSnapshot branch) =>
        Event(year, version, state, RealizationSetReason, author, now, [branch], [], [], includeEntityLevel: false, declaredEntityLevel: null);

    public static OperationalObjectiveSnapshot Operational(Guid id, string title, decimal weight, Realization? value, BesDimension bes,
        IEnumerable<string> sectors) =>
        new(id, title, weight, value?.Value, BesNames(bes), sectors.ToList());

    private static PlanChanged Event(int year, long version, YearState state, string reason, string author, DateTimeOffset now,
        IEnumerable<StrategicObjectiveSnapshot> touched, IEnumerable<string> removed, IEnumerable<AreaSnapshot> areas,
        bool includeEntityLevel, Realization? declaredEntityLevel) =>
        new()
        {
            EventId = Guid.NewGuid(),
            Year = year,
            PlanVersion = version,
            Reason = reason,
            OccurredAt = now,
            ChangedBy = author,
            Areas = areas.ToList(),
            DeclaredEntityLevelIncluded = includeEntityLevel,
            DeclaredEntityLevel = includeEntityLevel ? declaredEntityLevel?.Value : null,
            StrategicObjectives = touched.ToList(),
            RemovedStrategicObjectiveCodes = removed.ToList(),
            YearState = YearWorkflow.Name(state),
            Period = YearWorkflow.Name(YearWorkflow.PeriodOf(state)),
        };

    private static StrategicObjectiveSnapshot Snapshot(StrategicObjective so) => new(
        so.Code, so.Area.Number, so.Title, so.Realization?.Value, so.Declared?.Value,
        so.OperationalObjectives.OrderBy(o => o.Position).Select(o => Operational(o.Id, o.Title, o.Weight, o.Realization, o.Bes, o.Sectors)).ToList());

    private static IReadOnlyList<string> BesNames(BesDimension bes) =>
        Enum.GetValues<BesDimension>().Where(d => d != BesDimension.None && bes.HasFlag(d)).Select(d => d.ToString()).ToList();
}
