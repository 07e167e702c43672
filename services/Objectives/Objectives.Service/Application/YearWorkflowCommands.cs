using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>The year's workflow steps, as mutations of the year's writer: each is audited and published.</summary>
public sealed class YearWorkflowCommands(YearWriter writer, ActorAccessor actors)
{
    public const string Reason = "workflow";

    /// <summary>One step forward, to <paramref name="to"/> (named, so a repeated request cannot skip a step).</summary>
    public Task<PlanYear> AdvanceAsync(int year, YearState to, string? note, CancellationToken ct) =>
        writer.SubmitAsync(year, Reason, actors.Current, PlanCommands.WholeYear, change =>
        {
            var plan = change.RequirePlan();
            YearWorkflow.EnsureStep(year, plan.State, to, to == YearState.Validated ? Unexplained(plan) : []);
            change.Audit("year", Key(year), null, "state", YearWorkflow.Name(plan.State), YearWorkflow.Name(to), note);
            plan.State = to;
            return plan;
        }, checksLock: false);

    /// <summary>Takes a validated or published year back to final; the reason is required and audited.</summary>
    public Task<PlanYear> ReopenAsync(int year, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new InvalidPlanInputException("reason", "reopening a year needs a reason");
        return writer.SubmitAsync(year, Reason, actors.Current, PlanCommands.WholeYear, change =>
        {
            var plan = change.RequirePlan();
            if (!YearWorkflow.IsLocked(plan.State))
                throw new YearStateException(year, plan.State,
                    $"the year {year} is {YearWorkflow.Name(plan.State)}: only a validated or published year is reopened");
            change.Audit("year", Key(year), null, "state", YearWorkflow.Name(plan.State), YearWorkflow.Name(YearWorkflow.ReopenedTo), reason);
            plan.State = YearWorkflow.ReopenedTo;
            return plan;
        }, checksLock: false);
    }

    /// <summary>
    /// Every objective whose value in force is below 100 and has no explanation, in the plan's order: strategic
    /// objectives by their own value, operational objectives by theirs (one sharing its strategic objective's value
    /// is covered by that one).
    /// </summary>
    public static IReadOnlyList<Deviation> Unexplained(PlanYear plan)
    {
        var missing = new List<Deviation>();
        foreach (var so in PlanCommands.AllStrategic(plan))
        {
            if (YearWorkflow.NeedsExplanation(so.Realization, so.Explanation)) missing.Add(new Deviation(so.Code, so.Title, so.Realization!.Value));
            foreach (var oo in so.OperationalObjectives)
                if (YearWorkflow.NeedsExplanation(oo.Realization, oo.Explanation))
                    missing.Add(new Deviation($"{so.Code} (operational {oo.Id})", oo.Title, oo.Realization!.Value));
        }
        return missing;
    }

    private static string Key(int year) => year.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
