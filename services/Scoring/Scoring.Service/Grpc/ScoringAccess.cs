using Microsoft.EntityFrameworkCore;
using PerfPlatform.Scoring.Infrastructure;
using PerfPlatform.ServiceDefaults.Security;
using V1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Scoring.Grpc;

/// <summary>
/// The right of every RPC of Scoring (docs/security.md). A method missing here is refused to everyone (deny by default);
/// a test asserts every method of the descriptor has its rule. Anonymous callers read the scorecard of a published year.
/// </summary>
public static class ScoringAccess
{
    public static RpcAccessTable Table { get; } = new()
    {
        { V1.Scoring.Descriptor, "GetScorecard", RpcAccess.PublishedYearOrRight<V1.GetScorecardRequest, ScoringPublishedYears>(r => r.Year, Rights.PlanRead) },
        { V1.Scoring.Descriptor, "GetArea", RpcAccess.Right(Rights.PlanRead) },
        { V1.Scoring.Descriptor, "GetBreakdown", RpcAccess.Right(Rights.PlanRead) },
        { V1.Scoring.Descriptor, "WatchRecalculations", RpcAccess.Right(Rights.PlanRead) },
        { V1.Scoring.Descriptor, "GetCalculation", RpcAccess.Right(Rights.PlanRead) },
    };
}

/// <summary>Whether a year is published, from the state the plan's events carried (PlanChanged.YearState, kept in year_periods).</summary>
public sealed class ScoringPublishedYears(ScoringDbContext db) : IPublishedYears
{
    public Task<bool> IsPublishedAsync(int year, CancellationToken ct) =>
        db.YearPeriods.AsNoTracking().AnyAsync(p => p.Year == year && p.State == "published", ct);
}
