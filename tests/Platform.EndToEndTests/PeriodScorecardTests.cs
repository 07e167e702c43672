using System.Text;
using Google.Protobuf;
using Grpc.Core;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.EndToEndTests;

/// <summary>
/// A year through its workflow across the real services: Scoring answers the monitoring period from the scorecard
/// frozen when the year went to final, and the final (current) period live.
/// </summary>
[Collection(nameof(RabbitMqCollection))]
public sealed class PeriodScorecardTests(DistributedPlatform platform) : IClassFixture<DistributedPlatform>
{
    /// <summary>A plan without values (the canonical CSV layout): it starts in planning.</summary>
    private const string Plan2024 =
        "tipo;anno;mandato;area;codice;titolo;peso;valore\r\n" +
        "ENTE;2024;2019-2024;;;Città di Lecce;;\r\n" +
        "AREA;;;1;;Area uno;;\r\n" +
        "OS;;;1;1.1;Obiettivo uno;;\r\n" +
        "OO;;;;1.1;Benessere Sociale: attività;1;\r\n";

    [Fact]
    public async Task The_monitoring_scorecard_is_kept_when_the_year_goes_to_final()
    {
        var objectives = platform.ObjectivesClient;
        var workflow = new ObjectivesV1.YearWorkflow.YearWorkflowClient(platform.Objectives.Channel);
        var scoring = platform.ScoringClient;
        await objectives.ImportDocumentAsync(new ObjectivesV1.ImportDocumentRequest
        {
            Content = ByteString.CopyFrom([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Plan2024)]),
            Format = ObjectivesV1.DocumentFormat.Csv, FileName = "piano-2024.csv",
        });
        Assert.Equal(ObjectivesV1.YearState.Planning, (await workflow.GetYearStateAsync(new ObjectivesV1.GetYearStateRequest { Year = 2024 })).State);
        await workflow.AdvanceYearAsync(new ObjectivesV1.AdvanceYearRequest { Year = 2024, To = ObjectivesV1.YearState.Monitoring });

        var june = await objectives.SetRealizationAsync(new ObjectivesV1.SetRealizationRequest
        {
            StrategicObjective = new ObjectivesV1.StrategicObjectiveRef { Year = 2024, Code = "1.1" },
            Realization = new ObjectivesV1.Realization { Value = 40 }, AsOf = "2024-06-30",
        });
        var monitoring = await scoring.ScorecardWhenAsync(2024, c => c.Entity() == 40, "the monitoring value scored");
        Assert.Equal(ScoringV1.Period.Monitoring, monitoring.Period);
        Assert.Contains("no final scorecard", await ExpectError(StatusCode.FailedPrecondition,
            scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2024, Period = ScoringV1.Period.Final }).ResponseAsync));

        await workflow.AdvanceYearAsync(new ObjectivesV1.AdvanceYearRequest { Year = 2024, To = ObjectivesV1.YearState.Final });
        var december = await objectives.SetRealizationAsync(new ObjectivesV1.SetRealizationRequest
        {
            StrategicObjective = new ObjectivesV1.StrategicObjectiveRef { Year = 2024, Code = "1.1" },
            Realization = new ObjectivesV1.Realization { Value = 90 }, AsOf = "2024-12-31", Note = "ritardo di un fornitore",
        });
        Assert.True(december.Version > june.Version);

        var current = await scoring.ScorecardWhenAsync(2024, c => c.Entity() == 90, "the final value scored");
        Assert.Equal(ScoringV1.Period.Final, current.Period);
        var final = await scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2024, Period = ScoringV1.Period.Final });
        Assert.Equal((ScoringV1.Period.Final, 90.0), (final.Period, final.Entity()));
        var frozen = await scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2024, Period = ScoringV1.Period.Monitoring });
        Assert.Equal((ScoringV1.Period.Monitoring, 40.0, 40.0), (frozen.Period, frozen.Entity(), frozen.Area(1)));
        Assert.Equal(monitoring.Version, frozen.Version);

        var events = platform.PlanEvents.Select(e => e.Event).Where(e => e.Year == 2024).ToList();
        Assert.Contains(events, e => e.Reason == "workflow" && e.YearState == "final");
        Assert.Contains(events, e => e.PlanVersion == june.Version && e.Period == "monitoring");
        Assert.Contains(events, e => e.PlanVersion == december.Version && e.Period == "final");
    }

    private static async Task<string> ExpectError(StatusCode code, Task call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.True(code == error.StatusCode, error.Status.ToString());
        return error.Status.Detail;
    }
}
