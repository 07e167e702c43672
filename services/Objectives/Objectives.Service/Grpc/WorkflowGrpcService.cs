using Grpc.Core;
using PerfPlatform.Objectives.Application;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Grpc;

/// <summary>The year's workflow over gRPC: reads the request, calls the application, maps the answer.</summary>
public sealed class WorkflowGrpcService(PlanQueries queries, YearWorkflowCommands workflow) : V1.YearWorkflow.YearWorkflowBase
{
    public override async Task<V1.YearStatus> GetYearState(V1.GetYearStateRequest r, ServerCallContext context) =>
        Status(await queries.GetYearTreeAsync(r.Year, context.CancellationToken));

    public override async Task<V1.YearStatus> AdvanceYear(V1.AdvanceYearRequest r, ServerCallContext context) =>
        Status(await workflow.AdvanceAsync(r.Year, FromProto(r.To), r.Note, context.CancellationToken));

    public override async Task<V1.YearStatus> ReopenYear(V1.ReopenYearRequest r, ServerCallContext context) =>
        Status(await workflow.ReopenAsync(r.Year, r.Reason, context.CancellationToken));

    private static V1.YearStatus Status(PlanYear plan)
    {
        var status = new V1.YearStatus
        {
            Year = plan.Year, State = (V1.YearState)((int)plan.State + 1),
            Period = YearWorkflow.PeriodOf(plan.State) == ValuePeriod.Monitoring ? V1.ValuePeriod.Monitoring : V1.ValuePeriod.Final,
            Locked = YearWorkflow.IsLocked(plan.State), Version = plan.Version,
        };
        if (plan.State == YearState.Final)
            status.UnexplainedDeviations.AddRange(YearWorkflowCommands.Unexplained(plan)
                .Select(d => new V1.Deviation { Code = d.Code, Title = d.Title, Value = (double)(d.Value.Value ?? 0) }));
        return status;
    }

    private static YearState FromProto(V1.YearState s) =>
        s == V1.YearState.Unspecified || !System.Enum.IsDefined(s)
            ? throw new InvalidPlanInputException("to", "name the state to go to (MONITORING, FINAL, VALIDATED or PUBLISHED)")
            : (YearState)((int)s - 1);
}
