namespace PerfPlatform.IntegrationEvents;

/// <summary>
/// Published by Scoring after it applied a <see cref="PlanChanged"/> and some score moved:
/// each changed score with its old and new value.
/// </summary>
public sealed record ScoresRecalculated
{
    public required Guid EventId { get; init; }
    public required int Year { get; init; }
    /// <summary>The year's score version after this recalculation; strictly increasing per year.</summary>
    public required long ScoreVersion { get; init; }
    /// <summary>The plan version that caused it.</summary>
    public required long PlanVersion { get; init; }
    /// <summary>The <see cref="PlanChanged.EventId"/> that caused it.</summary>
    public required Guid CausationId { get; init; }
    public required DateTimeOffset CalculatedAt { get; init; }
    public required IReadOnlyList<ScoreChange> Changes { get; init; }
}

/// <param name="Level">"StrategicObjective", "Area" or "Entity".</param>
/// <param name="Key">The strategic objective's code, the area's number, or "" for the entity.</param>
/// <param name="OldValue">null: not assessed before.</param>
/// <param name="NewValue">null: not assessed now.</param>
public sealed record ScoreChange(string Level, string Key, decimal? OldValue, decimal? NewValue);
