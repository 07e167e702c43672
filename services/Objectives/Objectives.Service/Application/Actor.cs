namespace PerfPlatform.Objectives.Application;

/// <summary>
/// Who makes a change, as the audit trail and the events name them. Until access control lands it is the caller's
/// declared name; then the gRPC layer fills it from the authenticated identity and nothing below changes.
/// </summary>
public sealed record Actor(string Name)
{
    public static Actor Anonymous { get; } = new("anonymous");
}

/// <summary>The actor of the current call (scoped): the gRPC layer sets it, commands read it.</summary>
public sealed class ActorAccessor
{
    public Actor Current { get; set; } = Actor.Anonymous;
}
