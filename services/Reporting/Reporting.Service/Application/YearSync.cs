using System.Text.Json;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PerfPlatform.BuildingBlocks.Inbox;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.Reporting.Domain;
using PerfPlatform.Reporting.Infrastructure;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Reporting.Application;

/// <summary>
/// Keeps the read model of each year current. An event says a year reached a version; when the read model holds an
/// older one (or lacks the year) it reads the owner's state over gRPC: the events carry neither the labels and
/// footnotes the annex prints nor Scoring's discrepancies, and a whole-year read is one call. The state read is at
/// least the event's version, and is stored only if newer than what is held, so a late, older event changes nothing;
/// the inbox makes a redelivered one a no-op.
/// </summary>
public sealed class YearSync(
    ReportingDbContext db,
    ObjectivesV1.Objectives.ObjectivesClient objectives,
    ObjectivesV1.YearWorkflow.YearWorkflowClient workflow,
    ScoringV1.Scoring.ScoringClient scoring,
    TimeProvider clock,
    ILogger<YearSync> log)
{
    public const string PlanConsumer = "reporting.plan-changed";
    public const string ScoresConsumer = "reporting.scores-recalculated";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>
    /// One writer per year in this process: the start-up catch-up, the reconciler's repair and the two consumers may all
    /// find a year missing at once, and each would add it (seen at every first start: UNIQUE constraint failed on
    /// report_years). Replicas of the service can still collide; the consumers' retry then finds the row.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, SemaphoreSlim> YearLocks = new();

    private static async Task<T> OneAtATimeAsync<T>(int year, Func<Task<T>> work, CancellationToken ct)
    {
        var gate = YearLocks.GetOrAdd(year, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try { return await work(); }
        finally { gate.Release(); }
    }

    public Task OnPlanChangedAsync(PlanChanged change, Guid messageId, CancellationToken ct) =>
        OneAtATimeAsync(change.Year, async () => { await PlanChangedAsync(change, messageId, ct); return true; }, ct);

    public Task OnScoresRecalculatedAsync(ScoresRecalculated recalculation, Guid messageId, CancellationToken ct) =>
        OneAtATimeAsync(recalculation.Year, async () => { await ScoresRecalculatedAsync(recalculation, messageId, ct); return true; }, ct);

    /// <summary>Brings a year up to the owners' current state (catch-up at start, or a year asked for and not held).</summary>
    /// <returns>False when Objectives does not hold the year.</returns>
    public Task<bool> CatchUpAsync(int yearNumber, long? planVersion, CancellationToken ct) =>
        OneAtATimeAsync(yearNumber, () => CatchUpCoreAsync(yearNumber, planVersion, ct), ct);

    private async Task PlanChangedAsync(PlanChanged change, Guid messageId, CancellationToken ct)
    {
        if (await db.AlreadyProcessedAsync(messageId, PlanConsumer, clock.GetUtcNow(), ct)) return;
        var year = await db.Years.FindAsync([change.Year], ct);
        if (year is null || year.PlanVersion < change.PlanVersion) year = await RefreshPlanAsync(year, change.Year, ct, stateFromEvent: change.YearState is not null);
        // The workflow state the event carries (a newer one only): anonymous callers read published years only.
        if (year is not null && change.YearState is { } state && change.PlanVersion >= year.StateVersion)
        {
            year.State = state;
            year.StateVersion = change.PlanVersion;
        }
        // A year it lacked: its scores too, which may already exist.
        if (year is { ScoreVersion: 0 }) await RefreshScoresAsync(year, ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task ScoresRecalculatedAsync(ScoresRecalculated recalculation, Guid messageId, CancellationToken ct)
    {
        if (await db.AlreadyProcessedAsync(messageId, ScoresConsumer, clock.GetUtcNow(), ct)) return;
        var year = await db.Years.FindAsync([recalculation.Year], ct);
        if (year is null || year.PlanVersion < recalculation.PlanVersion) year = await RefreshPlanAsync(year, recalculation.Year, ct);
        if (year is not null && year.ScoreVersion < recalculation.ScoreVersion) await RefreshScoresAsync(year, ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task<bool> CatchUpCoreAsync(int yearNumber, long? planVersion, CancellationToken ct)
    {
        var year = await db.Years.FindAsync([yearNumber], ct);
        if (year is null || planVersion is null || year.PlanVersion < planVersion) year = await RefreshPlanAsync(year, yearNumber, ct);
        if (year is null) return false;
        // A year held from before the read model kept the workflow state (or whose events carried none).
        if (year.State is null) await RefreshStateAsync(year, ct);
        await RefreshScoresAsync(year, ct);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<Annex?> ReadAsync(int yearNumber, CancellationToken ct)
    {
        var year = await db.Years.AsNoTracking().SingleOrDefaultAsync(y => y.Year == yearNumber, ct);
        return year is null ? null : ToAnnex(year);
    }

    public static Annex ToAnnex(ReportYear year) => new(
        JsonSerializer.Deserialize<AnnexPlan>(year.PlanJson, Json)!,
        year.ScoresJson is null ? AnnexScores.NotYetScored : JsonSerializer.Deserialize<AnnexScores>(year.ScoresJson, Json)!,
        year.UpdatedAt);

    /// <summary>Whether the year is published (anonymous callers read published years only).</summary>
    public Task<bool> IsPublishedAsync(int yearNumber, CancellationToken ct) =>
        db.Years.AsNoTracking().AnyAsync(y => y.Year == yearNumber && y.State == "published", ct);

    /// <param name="stateFromEvent">The caller sets the workflow state from its event; otherwise it is read from Objectives too.</param>
    private async Task<ReportYear?> RefreshPlanAsync(ReportYear? year, int yearNumber, CancellationToken ct, bool stateFromEvent = false)
    {
        ObjectivesV1.YearTree tree;
        try
        {
            tree = await objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = yearNumber }, cancellationToken: ct);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            log.LogInformation("Objectives does not hold year {Year}", yearNumber);
            return year;
        }
        var json = JsonSerializer.Serialize(AnnexMapping.ToPlan(tree), Json);
        if (year is null)
        {
            year = db.Years.Add(new ReportYear { Year = yearNumber, PlanVersion = tree.Version, PlanJson = json, UpdatedAt = clock.GetUtcNow() }).Entity;
        }
        else if (tree.Version > year.PlanVersion)
        {
            year.PlanVersion = tree.Version;
            year.PlanJson = json;
            year.UpdatedAt = clock.GetUtcNow();
        }
        if (!stateFromEvent) await RefreshStateAsync(year, ct);
        return year;
    }

    private async Task RefreshStateAsync(ReportYear year, CancellationToken ct)
    {
        ObjectivesV1.YearStatus status;
        try
        {
            status = await workflow.GetYearStateAsync(new ObjectivesV1.GetYearStateRequest { Year = year.Year }, cancellationToken: ct);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return; // removed meanwhile: the next event or catch-up brings it current
        }
        if (status.Version < year.StateVersion) return;
        year.State = StateName(status.State);
        year.StateVersion = status.Version;
    }

    /// <summary>As PlanChanged.YearState writes it.</summary>
    private static string? StateName(ObjectivesV1.YearState state) => state switch
    {
        ObjectivesV1.YearState.Planning => "planning",
        ObjectivesV1.YearState.Monitoring => "monitoring",
        ObjectivesV1.YearState.Final => "final",
        ObjectivesV1.YearState.Validated => "validated",
        ObjectivesV1.YearState.Published => "published",
        _ => null,
    };

    private async Task RefreshScoresAsync(ReportYear year, CancellationToken ct)
    {
        ScoringV1.Scorecard card;
        try
        {
            card = await scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year.Year }, cancellationToken: ct);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return; // not scored yet: its ScoresRecalculated will come
        }
        if (card.Version <= year.ScoreVersion) return;
        var bes = await scoring.GetBreakdownAsync(new ScoringV1.GetBreakdownRequest { Year = year.Year, Kind = ScoringV1.BreakdownKind.BesDimension }, cancellationToken: ct);
        var sectors = await scoring.GetBreakdownAsync(new ScoringV1.GetBreakdownRequest { Year = year.Year, Kind = ScoringV1.BreakdownKind.Sector }, cancellationToken: ct);
        year.ScoreVersion = card.Version;
        year.ScoresJson = JsonSerializer.Serialize(AnnexMapping.ToScores(card, bes, sectors), Json);
        year.UpdatedAt = clock.GetUtcNow();
    }
}
