namespace PerfPlatform.IntegrationEvents;

/// <summary>The RabbitMQ exchanges (fanout, durable) the events are published to. Part of the published contract.</summary>
public static class EventExchanges
{
    public const string PlanChanged = "perf.plan-changed";
    public const string ScoresRecalculated = "perf.scores-recalculated";
}
