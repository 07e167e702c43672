namespace PerfPlatform.Objectives.Application;

/// <summary>
/// Who makes a change, as the audit trail and the events name them: the bearer token's name (or preferred_username, or
/// the client id of a machine) and subject, filled by the gRPC layer (Grpc/ActorInterceptor) from the validated token.
/// </summary>
/// <param name="ValueSectors">
/// Null: the actor may write values of every objective its right allows. Otherwise (a sector manager) only values of
/// operational objectives whose sectors meet these; checked on the write path, where the objective is known.
/// </param>
public sealed record Actor(string Name, string? Subject = null, IReadOnlyList<string>? ValueSectors = null)
{
    public static Actor Anonymous { get; } = new("anonymous");

    /// <summary>Refuses a value of an operational objective outside the actor's sectors.</summary>
    public void EnsureMayWriteValueOf(string objective, IReadOnlyCollection<string> sectors)
    {
        if (ValueSectors is null) return;
        if (sectors.Any(s => ValueSectors.Contains(s.Trim(), StringComparer.OrdinalIgnoreCase))) return;
        throw new PlanAccessDeniedException(
            $"{Name} may write values only for objectives of the sectors {List(ValueSectors)}; {objective} belongs to {List(sectors)}");
    }

    /// <summary>Refuses a value at strategic-objective level to a sector manager: it has no sector of its own.</summary>
    public void EnsureMayWriteStrategicValue(string code)
    {
        if (ValueSectors is null) return;
        throw new PlanAccessDeniedException(
            $"{Name} may write values only for operational objectives of the sectors {List(ValueSectors)}; strategic objective {code}'s own value " +
            "requires the right 'values.write' without a sector limit (roles strategic-control, admin; scope perf.write)");
    }

    private static string List(IEnumerable<string> items) => items.Any() ? string.Join(", ", items.Select(i => $"'{i}'")) : "(none)";
}

/// <summary>The actor's right does not reach this objective (a sector manager and another sector's objective).</summary>
public sealed class PlanAccessDeniedException(string message) : Exception(message);

/// <summary>The actor of the current call (scoped): the gRPC layer sets it, commands read it.</summary>
public sealed class ActorAccessor
{
    public Actor Current { get; set; } = Actor.Anonymous;
}
