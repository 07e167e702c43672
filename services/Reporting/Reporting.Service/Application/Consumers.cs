using MassTransit;
using PerfPlatform.IntegrationEvents;

namespace PerfPlatform.Reporting.Application;

/// <summary>Durable queue "reporting.plan-changed", shared by replicas.</summary>
public sealed class ReportingPlanChangedConsumer(YearSync sync) : IConsumer<PlanChanged>
{
    public Task Consume(ConsumeContext<PlanChanged> context) =>
        sync.OnPlanChangedAsync(context.Message, context.MessageId ?? context.Message.EventId, context.CancellationToken);
}

/// <summary>Durable queue "reporting.scores-recalculated", shared by replicas.</summary>
public sealed class ReportingScoresRecalculatedConsumer(YearSync sync) : IConsumer<ScoresRecalculated>
{
    public Task Consume(ConsumeContext<ScoresRecalculated> context) =>
        sync.OnScoresRecalculatedAsync(context.Message, context.MessageId ?? context.Message.EventId, context.CancellationToken);
}
