namespace PerfPlatform.Scoring.Domain;

/// <summary>Where a strategic objective's score comes from.</summary>
public enum ScoreSource
{
    /// <summary>Nothing assessed and no value of its own: left out of the area's MEDIA.</summary>
    NotAssessed = 0,
    /// <summary>Weighted mean of its assessed operational objectives.</summary>
    OperationalObjectives = 1,
    /// <summary>None of its operational objectives is assessed, so the value entered for it stands.</summary>
    OwnValue = 2,
}

/// <summary>A branch as received, with its score computed once when it arrives.</summary>
internal sealed record ScoredBranch(StrategicObjectiveBranch Branch, decimal? Score, ScoreSource Source)
{
    public static ScoredBranch Of(StrategicObjectiveBranch branch)
    {
        // Each level is rounded before it rolls up (see RollUp), operational values included.
        var (rule, score) = RollUp.Combine(branch.OperationalObjectives.Select(o => (o.Value, o.Weight)), branch.OwnValue);
        return new(branch, score, rule switch
        {
            CalculationRule.MeanOfAssessed => ScoreSource.OperationalObjectives,
            CalculationRule.OwnValue => ScoreSource.OwnValue,
            _ => ScoreSource.NotAssessed,
        });
    }

    public string Code => Branch.Code;
    public int AreaNumber => Branch.AreaNumber;
}
