using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.BuildingBlocks.Reconciliation;
using PerfPlatform.Scoring.Infrastructure;

namespace PerfPlatform.Scoring.Application;

/// <summary>What Scoring holds of the plan, for the reconciler: the highest plan version applied per year.</summary>
public sealed class HeldPlanVersions(IServiceScopeFactory scopes) : IHeldPlanVersions
{
    public async Task<IReadOnlyDictionary<int, long>> HeldAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScoringDbContext>();
        return await db.Years.AsNoTracking().ToDictionaryAsync(y => y.Year, y => y.PlanVersion, ct);
    }
}
