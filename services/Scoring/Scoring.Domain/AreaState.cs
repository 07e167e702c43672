namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// Running state of one area: its members and the running mean of their assessed scores, so that
/// one strategic objective entering, leaving or changing costs O(1), not a pass over the plan.
/// </summary>
internal sealed class AreaState(int number)
{
    public int Number { get; } = number;
    public AreaInfo? Info { get; set; }
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
    public RunningMean AssessedScores { get; } = new();

    /// <summary>The MEDIA as last recomputed (rounded); null when no member is assessed.</summary>
    public decimal? Mean { get; set; }

    public void Attach(ScoredBranch branch)
    {
        Members.Add(branch.Code);
        if (branch.Score is { } score) AssessedScores.Add(score);
    }

    public void Detach(ScoredBranch branch)
    {
        Members.Remove(branch.Code);
        if (branch.Score is { } score) AssessedScores.Remove(score);
    }

    public decimal? ComputeMean() => RollUp.Round(AssessedScores.Value);
}
