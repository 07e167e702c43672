namespace PerfPlatform.BuildingBlocks.Messaging;

/// <summary>
/// Which process published an event at its commit: the outbox stamps it (header <see cref="Header"/>) on what a commit of
/// this process handed over, and a subscription of this process that has seen those events already can leave them out
/// (<see cref="ForeignEventsFilter"/>). One id per process: every service database's outbox in it stamps the same.
/// </summary>
public static class EventOrigin
{
    public const string Header = "perf-origin";

    /// <summary>This process's id, new at every start.</summary>
    public static readonly string Process = Guid.NewGuid().ToString("N");
}
