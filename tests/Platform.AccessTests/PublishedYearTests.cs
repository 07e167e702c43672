using Grpc.Core;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ReportingV1 = PerfPlatform.Reporting.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.AccessTests;

/// <summary>
/// Anonymous callers read a published year only (scorecard, reports, plan), each service from its own knowledge of the
/// year's state; and the workflow's steps need their rights (validate: OIV; publish: strategic control).
/// </summary>
public sealed class PublishedYearTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    [Fact]
    public async Task An_anonymous_caller_reads_a_published_year_and_not_one_that_is_not()
    {
        var anonymous = new Metadata();
        await AnonymousRefusedAsync(anonymous);
        Assert.Empty((await platform.Objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest(), anonymous)).Years);

        // Explain every deviation (strategic control), validate (OIV), publish (strategic control): each step its right.
        var control = EmbeddedPlatform.Bearer(platform.Control);
        var oiv = EmbeddedPlatform.Bearer(platform.Oiv);
        var state = await platform.Workflow.GetYearStateAsync(new ObjectivesV1.GetYearStateRequest { Year = 2023 }, control);
        foreach (var d in state.UnexplainedDeviations)
            await platform.Objectives.SetRealizationAsync(new ObjectivesV1.SetRealizationRequest
            {
                StrategicObjective = new ObjectivesV1.StrategicObjectiveRef { Year = 2023, Code = d.Code },
                Realization = new ObjectivesV1.Realization { Value = d.Value }, AsOf = "2023-12-31", Note = "scostamento spiegato",
            }, control);
        var toValidated = new ObjectivesV1.AdvanceYearRequest { Year = 2023, To = ObjectivesV1.YearState.Validated };
        var notControl = await Assert.ThrowsAsync<RpcException>(() => platform.Workflow.AdvanceYearAsync(toValidated, control).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, notControl.StatusCode);
        Assert.Contains("requires the right 'year.validate'", notControl.Status.Detail);
        await platform.Workflow.AdvanceYearAsync(toValidated, oiv);
        var toPublished = new ObjectivesV1.AdvanceYearRequest { Year = 2023, To = ObjectivesV1.YearState.Published };
        var notOiv = await Assert.ThrowsAsync<RpcException>(() => platform.Workflow.AdvanceYearAsync(toPublished, oiv).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, notOiv.StatusCode);
        Assert.Contains("requires the right 'year.advance'", notOiv.Status.Detail);
        await platform.Workflow.AdvanceYearAsync(toPublished, control);

        // Published: each service learns it (Objectives from its plan, Scoring and Reporting from the event).
        var card = await Probe.UntilAsync(() => TryAsync(() => platform.Scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 }, anonymous).ResponseAsync),
            c => c is not null, "the published scorecard, anonymously");
        Assert.Equal(10, card!.Areas.Count);
        var reports = await Probe.UntilAsync(() => TryAsync(() => platform.Reporting.ListReportsAsync(new ReportingV1.ListReportsRequest { Year = 2023 }, anonymous).ResponseAsync),
            r => r is not null, "the published reports, anonymously");
        Assert.NotEmpty(reports!.Reports);
        using (var report = platform.Reporting.GetReport(new ReportingV1.GetReportRequest { Year = 2023, Format = ReportingV1.ReportFormat.Csv }, anonymous))
        {
            Assert.True(await report.ResponseStream.MoveNext(CancellationToken.None));
            Assert.True(report.ResponseStream.Current.TotalBytes > 0);
        }
        Assert.Equal(10, (await platform.Objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = 2023 }, anonymous)).Areas.Count);
        Assert.Equal([2023], (await platform.Objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest(), anonymous)).Years.Select(y => y.Year));
        // Only those reads: the rest still needs a token, and a year not published stays closed.
        var area = await Assert.ThrowsAsync<RpcException>(() => platform.Scoring.GetAreaAsync(new ScoringV1.GetAreaRequest { Year = 2023, Number = 1 }, anonymous).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, area.StatusCode);
        var other = await Assert.ThrowsAsync<RpcException>(() => platform.Scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2022 }, anonymous).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, other.StatusCode);

        // Reopened (OIV): closed to anonymous callers again.
        await platform.Workflow.ReopenYearAsync(new ObjectivesV1.ReopenYearRequest { Year = 2023, Reason = "errore materiale" }, oiv);
        // Scoring and Reporting each learn it from the event, each in its own time: wait for both.
        await Probe.UntilAsync(async () => (
                await StatusOfAsync(() => platform.Scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 }, anonymous).ResponseAsync),
                await StatusOfAsync(() => platform.Reporting.ListReportsAsync(new ReportingV1.ListReportsRequest { Year = 2023 }, anonymous).ResponseAsync)),
            s => s == (StatusCode.Unauthenticated, StatusCode.Unauthenticated), "the reopened year closed to anonymous callers");
        await AnonymousRefusedAsync(anonymous);
    }

    private async Task AnonymousRefusedAsync(Metadata anonymous)
    {
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => platform.Scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 }, anonymous).ResponseAsync));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => platform.Reporting.ListReportsAsync(new ReportingV1.ListReportsRequest { Year = 2023 }, anonymous).ResponseAsync));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => platform.Objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = 2023 }, anonymous).ResponseAsync));
    }

    private static async Task<T?> TryAsync<T>(Func<Task<T>> call) where T : class
    {
        try { return await call(); }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated) { return null; }
    }

    private static async Task<StatusCode> StatusOfAsync<T>(Func<Task<T>> call)
    {
        try { await call(); return StatusCode.OK; }
        catch (RpcException ex) { return ex.StatusCode; }
    }
}
