using Grpc.Core;
using PerfPlatform.Scoring.Domain;
using V1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Scoring.Grpc;

/// <summary>The calculation log and the structured discrepancy causes: mapping only, the rules are in Scoring.Domain.</summary>
public sealed partial class ScoringGrpcService
{
    public override async Task<V1.Calculation> GetCalculation(V1.GetCalculationRequest request, ServerCallContext context)
    {
        var level = request.Level switch
        {
            V1.ScoreLevel.StrategicObjective => ScoreLevel.StrategicObjective,
            V1.ScoreLevel.Area => ScoreLevel.Area,
            V1.ScoreLevel.Entity => ScoreLevel.Entity,
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"level: {request.Level} has no calculation; choose STRATEGIC_OBJECTIVE, AREA or ENTITY")),
        };
        var key = request.Key.Trim();
        if (level == ScoreLevel.Area && !int.TryParse(key, out _))
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"key: '{request.Key}' is not an area number (e.g. \"1\")"));
        if (level == ScoreLevel.Entity && key.Length > 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"key: the entity level takes an empty key, not '{request.Key}'"));
        if (request.Period != V1.Period.Unspecified)
            throw new RpcException(new Status(StatusCode.Unimplemented,
                $"period: {request.Period} has no calculation log yet; ask for the year's current figures (PERIOD_UNSPECIFIED)"));

        return await book.ReadAsync(request.Year, Db, (card, stored) =>
        {
            RequireKnown(request.Year, stored);
            var calculation = card.CalculationOf(level, key) ?? throw new RpcException(new Status(StatusCode.NotFound, level == ScoreLevel.Area
                ? $"area '{request.Year}/{key}' not found"
                : $"strategic objective '{request.Year}/{key}' not found"));
            return ToProto(calculation, stored!.ScoreVersion);
        }, context.CancellationToken);
    }

    private static V1.Discrepancy ToProto(Discrepancy d, long version)
    {
        var p = new V1.Discrepancy
        {
            Level = Level(d.Level), Key = d.Key, Label = d.Label, Declared = Score(d.Declared), Computed = Score(d.Computed),
            Difference = Score(d.Difference), Calculation = ToProto(d.Calculation, version),
        };
        p.Explanation.AddRange(d.Explanation);
        p.Causes.AddRange(d.Causes.Select(c =>
        {
            var cause = new V1.DiscrepancyExplanation
            {
                Cause = (V1.DiscrepancyCause)(int)c.Cause, Reproduced = Score(c.Reproduced), ReproducesDeclared = c.ReproducesDeclared,
                Decimals = c.Decimals, ChildrenTaken = c.ChildrenTaken, Truncated = c.Truncated, ChildValue = Score(c.ChildValue),
            };
            cause.ChildKeys.AddRange(c.ChildKeys);
            return cause;
        }));
        return p;
    }

    private static V1.Calculation ToProto(Calculation c, long version)
    {
        var p = new V1.Calculation
        {
            Year = c.Year, Level = Level(c.Level), Key = c.Key, Label = c.Label, Rule = (V1.CalculationRule)(int)c.Rule,
            Result = Score(c.Result), Declared = Score(c.Declared), HasDeclared = c.Declared.HasValue, Version = version,
        };
        p.Inputs.AddRange(c.Inputs.Select(i => new V1.CalculationInput
        {
            Level = Level(i.Level), Key = i.Key, Label = i.Label, Value = Score(i.Value), Weight = (double)i.Weight, Included = i.Included,
            ExcludedBecause = i.ExcludedBecause is { } reason ? (V1.ExclusionReason)(int)reason : V1.ExclusionReason.Unspecified,
            Declared = Score(i.Declared), HasDeclared = i.Declared.HasValue,
        }));
        return p;
    }
}
