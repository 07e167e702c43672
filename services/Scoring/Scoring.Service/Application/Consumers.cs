using MassTransit;
using PerfPlatform.IntegrationEvents;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// Recomputes the scores plan changes touch. Durable queue "scoring.plan-changed", shared by replicas. Takes the
/// changes waiting in the queue as one batch (one transaction), in queue order.
/// </summary>
public sealed class PlanChangedConsumer(PlanChangeApplier applier) : IConsumer<Batch<PlanChanged>>
{
    public Task Consume(ConsumeContext<Batch<PlanChanged>> context) =>
        applier.ApplyAsync(context.Message.Select(m => (m.Message, m.MessageId ?? m.Message.EventId)).ToList(), context.CancellationToken);
}

/// <summary>
/// Feeds this instance's gRPC watchers. Every Scoring instance has its own temporary queue, so a watcher
/// connected to any replica sees the recalculations made by all of them.
/// </summary>
public sealed class RecalculationWatchConsumer(RecalculationHub hub) : IConsumer<ScoresRecalculated>
{
    public Task Consume(ConsumeContext<ScoresRecalculated> context)
    {
        hub.Publish(context.Message);
        return Task.CompletedTask;
    }
}
