using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Spreadsheets.Tests;

public class RoundTripTests
{
    [Fact]
    public void Csv_export_then_import_gives_back_the_same_plan()
    {
        var outcome = PlanSpreadsheet.ImportCsv(new MemoryStream(PlanSpreadsheet.ExportCsv(SamplePlan.Lecce2023)));

        PlanAssert.Equal(SamplePlan.Lecce2023, outcome.Plan);
        Assert.Empty(outcome.Warnings);
    }

    [Fact]
    public void Xlsx_export_then_import_gives_back_the_same_plan()
    {
        var outcome = PlanSpreadsheet.ImportXlsx(new MemoryStream(PlanSpreadsheet.ExportXlsx(SamplePlan.Lecce2023)));

        PlanAssert.Equal(SamplePlan.Lecce2023, outcome.Plan);
        Assert.Empty(outcome.Warnings);
    }

    [Fact]
    public void Labels_are_read_again_from_the_title()
    {
        var plan = PlanSpreadsheet.ImportCsv(new MemoryStream(PlanSpreadsheet.ExportCsv(SamplePlan.Lecce2023))).Plan;

        var pagoPa = plan.Areas[0].StrategicObjectives[1].OperationalObjectives[0];
        Assert.Equal(BesDimension.Istituzionale, pagoPa.Labels.Bes);
        var culture = plan.Areas[1].StrategicObjectives[0].OperationalObjectives[0];
        Assert.Equal(["PNRR M1C3", "CIS"], culture.Labels.FundingReferences);
        Assert.True(plan.Areas[0].StrategicObjectives[0].OperationalObjectives[0].Labels.CrossCutting);
    }

    [Fact]
    public void The_three_states_of_a_figure_survive_a_round_trip()
    {
        var plan = PlanSpreadsheet.ImportXlsx(new MemoryStream(PlanSpreadsheet.ExportXlsx(SamplePlan.Lecce2023))).Plan;

        Assert.Equal(96.67m, plan.Areas[0].StrategicObjectives[1].DeclaredRealization?.Value);
        Assert.Null(plan.Areas[1].StrategicObjectives[0].DeclaredRealization);
        Assert.Equal(Realization.NotAssessed, plan.Areas[2].StrategicObjectives[0].DeclaredRealization);
    }
}
