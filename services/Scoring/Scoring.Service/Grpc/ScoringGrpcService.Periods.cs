using Grpc.Core;
using PerfPlatform.Scoring.Application;
using PerfPlatform.Scoring.Infrastructure;
using V1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Scoring.Grpc;

/// <summary>Which scorecard answers which period (see <see cref="PeriodScorecards"/>).</summary>
public sealed partial class ScoringGrpcService
{
    /// <summary>
    /// The monitoring period once the year left it: its frozen copy. While the year is in planning or monitoring
    /// (or its events carry no state) the live scorecard is the monitoring one: null, the caller answers live.
    /// </summary>
    private static V1.Scorecard? MonitoringFromCopy(V1.GetScorecardRequest request, YearPeriodRecord? periods)
    {
        if (request.Period != V1.Period.Monitoring || periods?.State is null || PeriodScorecards.IsMonitoring(periods.State)) return null;
        if (PeriodScorecards.Frozen(periods, request.Year) is not var (card, version))
            throw new RpcException(new Status(StatusCode.NotFound,
                $"the year {request.Year} has no monitoring scorecard: it reached Scoring at {periods.State}, after its monitoring period"));
        var scorecard = ToScorecard(card, version);
        scorecard.Period = V1.Period.Monitoring;
        return scorecard;
    }

    /// <summary>The period of the live scorecard: the year's current one.</summary>
    private static V1.Period CurrentPeriod(YearPeriodRecord? periods) => periods?.State switch
    {
        null => V1.Period.Unspecified,
        var s when PeriodScorecards.IsMonitoring(s) => V1.Period.Monitoring,
        _ => V1.Period.Final,
    };
}
