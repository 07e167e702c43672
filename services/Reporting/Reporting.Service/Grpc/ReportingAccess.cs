using PerfPlatform.Reporting.Application;
using PerfPlatform.ServiceDefaults.Security;
using V1 = PerfPlatform.Reporting.V1;

namespace PerfPlatform.Reporting.Grpc;

/// <summary>
/// The right of every RPC of Reporting (docs/security.md). A method missing here is refused to everyone (deny by default);
/// a test asserts every method of the descriptor has its rule. Anonymous callers read the reports of a published year.
/// </summary>
public static class ReportingAccess
{
    public static RpcAccessTable Table { get; } = new()
    {
        { V1.Reporting.Descriptor, "ListReports", RpcAccess.PublishedYearOrRight<V1.ListReportsRequest, ReportingPublishedYears>(r => r.Year, Rights.PlanRead) },
        { V1.Reporting.Descriptor, "GetReport", RpcAccess.PublishedYearOrRight<V1.GetReportRequest, ReportingPublishedYears>(r => r.Year, Rights.PlanRead) },
    };
}

/// <summary>Whether a year is published, from the state the plan's events carried (kept with the year's read model).</summary>
public sealed class ReportingPublishedYears(YearSync sync) : IPublishedYears
{
    public Task<bool> IsPublishedAsync(int year, CancellationToken ct) => sync.IsPublishedAsync(year, ct);
}
