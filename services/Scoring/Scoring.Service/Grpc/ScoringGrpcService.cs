using Microsoft.Extensions.DependencyInjection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PerfPlatform.Scoring.Application;
using PerfPlatform.Scoring.Domain;
using PerfPlatform.Scoring.Infrastructure;
using V1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Scoring.Grpc;

/// <summary>The gRPC adapter of Scoring: reads come from the year's scorecard, the stream from the hub.</summary>
public sealed partial class ScoringGrpcService(IServiceProvider services, ScoreBook book, RecalculationHub hub, ScorecardReadCache answers)
    : V1.Scoring.ScoringBase
{
    private ScoringDbContext? _db;

    /// <summary>The call's database context, taken from the pool only by a call that reads (a kept answer needs none).</summary>
    private ScoringDbContext Db => _db ??= services.GetRequiredService<ScoringDbContext>();

    public override async Task<V1.Scorecard> GetScorecard(V1.GetScorecardRequest request, ServerCallContext context)
    {
        var view = ViewOf(request);
        switch (answers.Find(request.Year, (int)request.Period, (int)view))
        {
            case V1.Scorecard kept: return kept;
            case Status refusal: throw new RpcException(refusal);
        }
        var generation = answers.Generation(request.Year);
        try
        {
            // Encoded once: every caller until the next change gets a copy of the same bytes.
            var scorecard = V1.Scorecard.Encoded(InView(await BuildScorecardAsync(request, context.CancellationToken), view));
            answers.Keep(request.Year, (int)request.Period, (int)view, generation, scorecard);
            return scorecard;
        }
        catch (RpcException refused) when (refused.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition)
        {
            answers.Keep(request.Year, (int)request.Period, (int)view, generation, refused.Status);
            throw;
        }
    }

    private static V1.ScorecardView ViewOf(V1.GetScorecardRequest request) => request.View switch
    {
        V1.ScorecardView.Unspecified or V1.ScorecardView.Full => V1.ScorecardView.Full,
        V1.ScorecardView.Basic => V1.ScorecardView.Basic,
        var other => throw new RpcException(new Status(StatusCode.InvalidArgument,
            $"view {(int)other} is not a ScorecardView (SCORECARD_VIEW_UNSPECIFIED, SCORECARD_VIEW_BASIC or SCORECARD_VIEW_FULL)")),
    };

    /// <summary>
    /// The scorecard just built, cut to what the view asks for. BASIC leaves out each area's strategic objectives, the
    /// discrepancies' English sentences, and the names of calculation inputs that their key identifies (an area's
    /// number, a strategic objective's code); an operational objective keeps its title, its only name a reader knows.
    /// </summary>
    private static V1.Scorecard InView(V1.Scorecard built, V1.ScorecardView view)
    {
        if (view != V1.ScorecardView.Basic) return built;
        foreach (var area in built.Areas) area.StrategicObjectives.Clear();
        foreach (var discrepancy in built.Discrepancies)
        {
            discrepancy.Explanation.Clear();
            foreach (var input in discrepancy.Calculation?.Inputs ?? [])
                if (input.Level is V1.ScoreLevel.Area or V1.ScoreLevel.StrategicObjective) input.Label = "";
        }
        return built;
    }

    private async Task<V1.Scorecard> BuildScorecardAsync(V1.GetScorecardRequest request, CancellationToken ct)
    {
        var periods = await PeriodScorecards.ReadAsync(Db, request.Year, ct);
        if (MonitoringFromCopy(request, periods) is { } frozen) return frozen;
        var scorecard = await book.ReadAsync(request.Year, Db, (card, stored) =>
        {
            RequireKnown(request.Year, stored);
            return ToScorecard(card, stored!.ScoreVersion);
        }, ct);
        scorecard.Period = CurrentPeriod(periods);
        if (request.Period == V1.Period.Final && scorecard.Period == V1.Period.Monitoring)
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"the year {request.Year} is {periods!.State}: it has no final scorecard yet (ask for PERIOD_MONITORING or the current one)"));
        return scorecard;
    }

    private static V1.Scorecard ToScorecard(YearScorecard card, long version)
    {
        var snapshot = card.Snapshot();
        var result = new V1.Scorecard
        {
            Year = snapshot.Year, EntityLevel = Score(snapshot.EntityLevel), DeclaredEntityLevel = Score(snapshot.DeclaredEntityLevel),
            HasDeclaredEntityLevel = snapshot.DeclaredEntityLevel.HasValue, Version = version,
        };
        result.Areas.AddRange(snapshot.Areas.Select(ToProto));
        result.Discrepancies.AddRange(card.CheckConsistency().Select(d => ToProto(d, version)));
        return result;
    }

    public override async Task<V1.AreaScore> GetArea(V1.GetAreaRequest request, ServerCallContext context) =>
        await book.ReadAsync(request.Year, Db, (card, stored) =>
        {
            RequireKnown(request.Year, stored);
            var area = card.Snapshot().Areas.SingleOrDefault(a => a.Number == request.Number)
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"area '{request.Year}/{request.Number}' not found"));
            return ToProto(area);
        }, context.CancellationToken);

    public override async Task<V1.Breakdown> GetBreakdown(V1.GetBreakdownRequest request, ServerCallContext context) =>
        await book.ReadAsync(request.Year, Db, (card, stored) =>
        {
            RequireKnown(request.Year, stored);
            var breakdown = request.Kind switch
            {
                V1.BreakdownKind.BesDimension => card.ByBesDimension(),
                V1.BreakdownKind.Sector => card.ByResponsibleSector(),
                _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "kind: choose BES_DIMENSION or SECTOR")),
            };
            var result = new V1.Breakdown { Year = request.Year, Kind = request.Kind };
            result.Rows.AddRange(breakdown.Rows.Select(r => new V1.BreakdownRow
            {
                Key = r.Key, OperationalObjectives = r.OperationalObjectives, Assessed = r.Assessed, Mean = Score(r.Mean),
            }));
            return result;
        }, context.CancellationToken);

    public override async Task WatchRecalculations(V1.WatchRecalculationsRequest request, IServerStreamWriter<V1.Recalculation> responseStream, ServerCallContext context)
    {
        // Headers go out at once, so a client knows it is subscribed before the first change.
        await context.WriteResponseHeadersAsync(new Metadata());
        try
        {
            await foreach (var r in hub.WatchAsync(request.Year, context.CancellationToken))
            {
                var message = new V1.Recalculation
                {
                    Year = r.Year, Version = r.ScoreVersion, PlanVersion = r.PlanVersion, CauseId = r.CausationId.ToString(),
                    CalculatedAt = Timestamp.FromDateTimeOffset(r.CalculatedAt),
                };
                message.Changes.AddRange(r.Changes.Select(c => new V1.ScoreChange
                {
                    Level = System.Enum.TryParse<ScoreLevel>(c.Level, out var level) ? Level(level) : V1.ScoreLevel.Unspecified,
                    Key = c.Key, OldValue = Score(c.OldValue), NewValue = Score(c.NewValue),
                }));
                await responseStream.WriteAsync(message, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // the watcher hung up
        }
    }

    private static void RequireKnown(int year, ScoredYear? stored)
    {
        if (stored is null) throw new RpcException(new Status(StatusCode.NotFound, $"year '{year}' not found: no plan for it has reached Scoring"));
    }

    private static V1.AreaScore ToProto(AreaScore a)
    {
        var area = new V1.AreaScore
        {
            Number = a.Number, Name = a.Name, Computed = Score(a.Mean), Declared = Score(a.DeclaredMean), HasDeclared = a.DeclaredMean.HasValue,
        };
        area.StrategicObjectives.AddRange(a.StrategicObjectives.Select(s => new V1.StrategicObjectiveScore
        {
            Code = s.Code, Title = s.Title, Computed = Score(s.Score), Declared = Score(s.DeclaredValue), HasDeclared = s.DeclaredValue.HasValue,
        }));
        return area;
    }

    private static V1.Score Score(decimal? value) => value is { } v ? new V1.Score { Value = (double)v } : new V1.Score();

    private static V1.ScoreLevel Level(ScoreLevel level) => level switch
    {
        ScoreLevel.StrategicObjective => V1.ScoreLevel.StrategicObjective,
        ScoreLevel.Area => V1.ScoreLevel.Area,
        ScoreLevel.OperationalObjective => V1.ScoreLevel.OperationalObjective,
        _ => V1.ScoreLevel.Entity,
    };
}
