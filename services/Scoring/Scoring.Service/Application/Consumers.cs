using MassTransit;
using PerfPlatform.IntegrationEvents;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// Recomputes the scores a plan change touches. Durable queue "scoring.plan-changed", shared by replicas. Many
/// messages are in flight at once; <see cref="PlanChangeBatcher"/> commits those of a year together.
/// </summary>
public sealed class PlanChangedConsumer(PlanChangeBatcher batcher) : IConsumer<PlanChanged>
{
    public Task Consume(ConsumeContext<PlanChanged> context) =>
        batcher.ApplyAsync(context.Message, context.MessageId ?? context.Message.EventId);
}

/// <summary>
/// Feeds this instance's gRPC watchers. Every Scoring instance has its own temporary queue, so a watcher
/// connected to any replica sees the recalculations made by all of them. On RabbitMQ the queue leaves out this
/// instance's own, which the batcher hands to the watchers at commit (ForeignEventsFilter).
/// </summary>
public sealed class RecalculationWatchConsumer(RecalculationHub hub) : IConsumer<ScoresRecalculated>
{
    public Task Consume(ConsumeContext<ScoresRecalculated> context)
    {
        hub.Publish(context.Message);
        return Task.CompletedTask;
    }
}
