using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.BuildingBlocks.Reconciliation;
using PerfPlatform.Reporting.Infrastructure;

namespace PerfPlatform.Reporting.Application;

/// <summary>The plan versions Reporting's read model holds, for the periodic reconciliation with Objectives.</summary>
public sealed class ReportingHeldPlanVersions(IServiceScopeFactory scopes) : IHeldPlanVersions
{
    public async Task<IReadOnlyDictionary<int, long>> HeldAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        return await db.Years.AsNoTracking().ToDictionaryAsync(y => y.Year, y => y.PlanVersion, ct);
    }

    /// <summary>A year behind is read again from Objectives and Scoring: no republish, no other subscriber disturbed.</summary>
    public static async Task RepairAsync(IServiceProvider services, int year, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<YearSync>().CatchUpAsync(year, null, ct);
    }
}
