using Microsoft.EntityFrameworkCore;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;
using PerfPlatform.ServiceDefaults.Security;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Grpc;

/// <summary>
/// The right of every RPC of Objectives (docs/security.md). A method missing here is refused to everyone (deny by default);
/// a test asserts every method of the three descriptors has its rule. Anonymous callers read a published year's tree and
/// the list of published years. A sector manager's values are further limited to its sectors' objectives, on the write
/// path (<see cref="Application.Actor"/>).
/// </summary>
public static class ObjectivesAccess
{
    public static RpcAccessTable Table { get; } = new()
    {
        // The plan: reads
        { V1.Objectives.Descriptor, "GetYearTree", RpcAccess.PublishedYearOrRight<V1.GetYearTreeRequest, ObjectivesPublishedYears>(r => r.Year, Rights.PlanRead) },
        { V1.Objectives.Descriptor, "ListYears", RpcAccess.PublishedYearsOrRight(Rights.PlanRead) },
        { V1.Objectives.Descriptor, "ListOperationalObjectives", RpcAccess.Right(Rights.PlanRead) },
        { V1.Objectives.Descriptor, "GetOperationalObjective", RpcAccess.Right(Rights.PlanRead) },
        { V1.Objectives.Descriptor, "GetStrategicObjective", RpcAccess.Right(Rights.PlanRead) },
        { V1.Objectives.Descriptor, "GetRealizationHistory", RpcAccess.Right(Rights.PlanRead) },
        { V1.Objectives.Descriptor, "ExportYear", RpcAccess.Right(Rights.PlanRead) },
        // The plan: structure and imports
        { V1.Objectives.Descriptor, "CreateArea", RpcAccess.Right(Rights.PlanWrite) },
        { V1.Objectives.Descriptor, "UpdateArea", RpcAccess.Right(Rights.PlanWrite) },
        { V1.Objectives.Descriptor, "CreateStrategicObjective", RpcAccess.Right(Rights.PlanWrite) },
        { V1.Objectives.Descriptor, "UpdateStrategicObjective", RpcAccess.Right(Rights.PlanWrite) },
        { V1.Objectives.Descriptor, "DeleteStrategicObjective", RpcAccess.Right(Rights.PlanWrite) },
        { V1.Objectives.Descriptor, "CreateOperationalObjective", RpcAccess.Right(Rights.PlanWrite) },
        { V1.Objectives.Descriptor, "UpdateOperationalObjective", RpcAccess.Right(Rights.PlanWrite) },
        { V1.Objectives.Descriptor, "MoveOperationalObjective", RpcAccess.Right(Rights.PlanWrite) },
        { V1.Objectives.Descriptor, "DeleteOperationalObjective", RpcAccess.Right(Rights.PlanWrite) },
        { V1.Objectives.Descriptor, "ImportDocument", RpcAccess.Right(Rights.PlanWrite) },
        // Values (a sector manager: its sectors' operational objectives only, checked by the application)
        { V1.Objectives.Descriptor, "SetRealization", RpcAccess.Right(Rights.ValuesWrite) },
        // Operations
        { V1.Objectives.Descriptor, "RepublishYear", RpcAccess.Right(Rights.Operations) },
        // The year's workflow
        { V1.YearWorkflow.Descriptor, "GetYearState", RpcAccess.Right(Rights.PlanRead) },
        { V1.YearWorkflow.Descriptor, "AdvanceYear", RpcAccess.RightOf<V1.AdvanceYearRequest>(AdvanceRight,
            "right year.validate to VALIDATED, year.advance to MONITORING, FINAL, PUBLISHED") },
        { V1.YearWorkflow.Descriptor, "ReopenYear", RpcAccess.Right(Rights.YearValidate) },
        // The audit trail and the archived years
        { V1.ObjectivesAudit.Descriptor, "ListAuditRecords", RpcAccess.Right(Rights.AuditRead) },
        { V1.ObjectivesAudit.Descriptor, "ExportAuditRecords", RpcAccess.Right(Rights.AuditRead) },
        { V1.ObjectivesAudit.Descriptor, "ListArchivedYears", RpcAccess.Right(Rights.AuditRead) },
        { V1.ObjectivesAudit.Descriptor, "GetArchivedYear", RpcAccess.Right(Rights.AuditRead) },
    };

    /// <summary>Validating is the OIV's step; every other step (to monitoring, to final, publish) the strategic-control office's.</summary>
    public static string AdvanceRight(V1.AdvanceYearRequest request) =>
        request.To == V1.YearState.Validated ? Rights.YearValidate : Rights.YearAdvance;
}

/// <summary>Whether a year of the plan is published, from Objectives' own data.</summary>
public sealed class ObjectivesPublishedYears(ObjectivesDbContext db) : IPublishedYears
{
    public Task<bool> IsPublishedAsync(int year, CancellationToken ct) =>
        db.PlanYears.AsNoTracking().AnyAsync(y => y.Year == year && y.ArchivedAt == null && y.State == YearState.Published, ct);

    public async Task<IReadOnlySet<int>> PublishedAsync(CancellationToken ct) =>
        (await db.PlanYears.AsNoTracking().Where(y => y.ArchivedAt == null && y.State == YearState.Published).Select(y => y.Year).ToListAsync(ct)).ToHashSet();
}
