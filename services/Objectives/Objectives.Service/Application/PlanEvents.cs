using PerfPlatform.IntegrationEvents;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>Builds the integration events from the stored plan: one place for the event's shape.</summary>
internal static class PlanEvents
{
    public static PlanChanged Changed(PlanYear plan, string reason, string author, DateTimeOffset now,
        IEnumerable<StrategicObjective> touched, IEnumerable<string> removed, IEnumerable<Area> areas, bool includeEntityLevel) =>
        new()
        {
            EventId = Guid.NewGuid(),
            Year = plan.Year,
            PlanVersion = plan.Version,
            Reason = reason,
            OccurredAt = now,
            ChangedBy = author,
            Areas = areas.Select(a => new AreaSnapshot(a.Number, a.Name, a.DeclaredMean?.Value)).ToList(),
            DeclaredEntityLevelIncluded = includeEntityLevel,
            DeclaredEntityLevel = includeEntityLevel ? plan.DeclaredEntityLevel?.Value : null,
            StrategicObjectives = touched.Select(Snapshot).ToList(),
            RemovedStrategicObjectiveCodes = removed.ToList(),
        };

    /// <summary>A value set on a strategic objective: its branch, nothing else.</summary>
    public static PlanChanged RealizationSet(int year, long version, string author, DateTimeOffset now, StrategicObjectiveSnapshot branch) =>
        new()
        {
            EventId = Guid.NewGuid(),
            Year = year,
            PlanVersion = version,
            Reason = "realization-set",
            OccurredAt = now,
            ChangedBy = author,
            Areas = [],
            DeclaredEntityLevelIncluded = false,
            DeclaredEntityLevel = null,
            StrategicObjectives = [branch],
            RemovedStrategicObjectiveCodes = [],
        };

    private static StrategicObjectiveSnapshot Snapshot(StrategicObjective so) => new(
        so.Code, so.Area.Number, so.Title, so.Realization?.Value, so.Declared?.Value,
        so.OperationalObjectives.OrderBy(o => o.Position).Select(o => new OperationalObjectiveSnapshot(
            o.Id, o.Title, o.Weight, o.Realization?.Value, BesNames(o.Bes), o.Sectors.ToList())).ToList());

    public static IReadOnlyList<string> BesNames(BesDimension bes) =>
        Enum.GetValues<BesDimension>().Where(d => d != BesDimension.None && bes.HasFlag(d)).Select(d => d.ToString()).ToList();
}
