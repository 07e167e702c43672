using static PerfPlatform.Scoring.Domain.Tests.Build;

namespace PerfPlatform.Scoring.Domain.Tests;

public class Lecce2023Tests
{
    [Fact]
    public void The_document_has_55_strategic_objectives_in_10_areas()
    {
        var snapshot = Lecce2023.Load().Snapshot();
        Assert.Equal(10, snapshot.Areas.Count);
        Assert.Equal(55, snapshot.Areas.Sum(a => a.StrategicObjectives.Count));
        Assert.Equal(["1.1", "1.10", "1.11", "1.12", "1.13", "1.14", "1.15", "1.16"],
            snapshot.Areas[0].StrategicObjectives.Select(o => o.Code));
    }

    [Fact]
    public void Computed_figures_follow_the_printed_percentages()
    {
        var card = Lecce2023.Load();
        Assert.Equal(96.67m, card.ScoreOf("1.13"));
        Assert.Equal(
            [99.58m, 100m, 100m, 100m, 100m, 100m, 100m, 100m, null, 95m],
            card.Snapshot().Areas.Select(a => a.Mean));
        // (99,58 + 7 × 100 + 95) / 9 = 99,3977… → 99,40; area 9 is all "/" and left out.
        Assert.Equal(99.40m, card.EntityLevel);
    }

    [Fact]
    public void The_check_reports_exactly_area_1_and_the_entity_level()
    {
        var found = Lecce2023.Load().CheckConsistency();

        Assert.Equal(2, found.Count);

        var area = found[0];
        Assert.Equal((ScoreLevel.Area, "1", 99.52m, 99.58m, 0.06m),
            (area.Level, area.Key, area.Declared, area.Computed, area.Difference));
        Assert.StartsWith("Area 1 Cittadinanza Attiva", area.Label);
        Assert.Equal(
            ["mean of 8 assessed strategic objectives = 99,58; declared 99,52",
             "declared 99,52 = the mean of 7 of the 8 strategic objectives: one at 100,00 left out (any of 1.1, 1.10, 1.11, 1.12, 1.14, 1.15, 1.16)"],
            area.Explanation);

        var entity = found[1];
        Assert.Equal((ScoreLevel.Entity, "", 99.39m, 99.40m, 0.01m),
            (entity.Level, entity.Key, entity.Declared, entity.Computed, entity.Difference));
        Assert.Equal(
            ["mean of 9 assessed areas = 99,40; declared 99,39",
             "not assessed, left out of the mean: area 9",
             "declared 99,39 follows from the declared 99,52 of area 1 instead of its computed 99,58",
             "declared 99,39 = the mean truncated to 2 decimals instead of rounded"],
            entity.Explanation);
    }

    [Fact]
    public void Raising_1_13_to_100_moves_exactly_1_13_area_1_and_the_entity()
    {
        var card = Lecce2023.Load();
        var branch = Lecce2023.Branches().Single(b => b.Code == "1.13");

        var result = card.Upsert(branch with { OwnValue = 100m, Version = 2 });

        Assert.Equal([Objective("1.13", 96.67m, 100m), Area(1, 99.58m, 100m), Entity(99.40m, 99.44m)], result.Changes);
        Assert.Equal(100.00m, card.MeanOf(1));
        Assert.Equal(99.44m, card.EntityLevel);

        // The printed figures have not changed, so now 1.13 itself disagrees with the document too.
        Assert.Equal(
            [(ScoreLevel.StrategicObjective, "1.13", 96.67m, 100m),
             (ScoreLevel.Area, "1", 99.52m, 100m),
             (ScoreLevel.Entity, "", 99.39m, 99.44m)],
            card.CheckConsistency().Select(d => (d.Level, d.Key, d.Declared, d.Computed)));
    }

    [Fact]
    public void Reloading_the_same_report_changes_nothing()
    {
        var card = Lecce2023.Load();
        var again = card.Apply(Lecce2023.Branches(), [], 1);
        Assert.Empty(again.Changes);
        Assert.Equal(55, again.IgnoredAsStale);
    }

    [Fact]
    public void The_operational_objectives_of_1_13_count_with_its_printed_percentage()
    {
        var rows = Lecce2023.Load().ByBesDimension().Rows;
        Assert.Equal(
            [new BreakdownRow("Istituzionale", 8, 8, 96.67m), new BreakdownRow("Sociale", 5, 5, 96.67m)],
            rows);
    }
}
