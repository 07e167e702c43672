using static PerfPlatform.Scoring.Domain.Tests.Build;

namespace PerfPlatform.Scoring.Domain.Tests;

public class YearScorecardTests
{
    [Fact]
    public void An_empty_year_has_nothing_assessed()
    {
        var card = new YearScorecard(2023);
        Assert.Null(card.EntityLevel);
        Assert.Empty(card.Snapshot().Areas);
        Assert.Empty(card.CheckConsistency());
    }

    [Fact]
    public void Strategic_objective_is_the_weighted_mean_of_its_assessed_operational_objectives()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, own: 10m, ops: [Op(100m, weight: 3m), Op(60m), Op(null, weight: 9m)]));
        // (300 + 60) / 4 = 90: the not-assessed one and its weight are left out, the own value does not stand.
        Assert.Equal(90m, card.ScoreOf("1.1"));
        Assert.Equal(ScoreSource.OperationalObjectives, card.Snapshot().Areas[0].StrategicObjectives[0].Source);
    }

    [Fact]
    public void Own_value_stands_only_when_no_operational_objective_is_assessed()
    {
        var card = new YearScorecard(2023);
        card.Upsert(
            Branch("1.1", 1, own: 96.67m, ops: [Op(null), Op(null)]),
            Branch("1.2", 1, own: null, ops: [Op(null)]));
        Assert.Equal(96.67m, card.ScoreOf("1.1"));
        Assert.Null(card.ScoreOf("1.2"));
        // 1.2 is not assessed: left out of the MEDIA, not counted as 0.
        Assert.Equal(96.67m, card.MeanOf(1));
        var objectives = card.Snapshot().Areas[0].StrategicObjectives;
        Assert.Equal([ScoreSource.OwnValue, ScoreSource.NotAssessed], objectives.Select(o => o.Source));
    }

    [Fact]
    public void Each_level_rolls_up_the_rounded_values_of_the_level_below()
    {
        var card = new YearScorecard(2024);
        card.Upsert(
            Branch("1.1", 1, ops: [Op(100m), Op(100m), Op(90m)]), // 96,666… → 96,67
            Branch("1.2", 1, ops: [Op(100m)]));
        Assert.Equal(96.67m, card.ScoreOf("1.1"));
        // (96,67 + 100) / 2 = 98,335 → 98,34; rolling up the unrounded 96,666… would give 98,33.
        Assert.Equal(98.34m, card.MeanOf(1));
        Assert.Equal(98.34m, card.EntityLevel);
    }

    [Fact]
    public void A_new_branch_reports_its_score_its_area_and_the_entity()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, own: 100m));
        var result = card.Upsert(Branch("2.1", 2, own: 90m));
        Assert.Equal([Objective("2.1", null, 90m), Area(2, null, 90m), Entity(100m, 95m)], result.Changes);
        Assert.Equal(0, result.IgnoredAsStale);
    }

    [Fact]
    public void A_not_assessed_new_branch_changes_nothing()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, own: 100m));
        var result = card.Upsert(Branch("1.2", 1, ops: [Op(null)]));
        Assert.Empty(result.Changes);
        Assert.Equal(2, card.Snapshot().Areas[0].StrategicObjectives.Count);
    }

    [Fact]
    public void Changes_are_listed_objectives_in_code_order_then_areas_then_entity()
    {
        var card = new YearScorecard(2024);
        var result = card.Upsert(Branch("1.10", 1, own: 80m), Branch("2.1", 2, own: 100m), Branch("1.2", 1, own: 100m));
        Assert.Equal(
            [Objective("1.2", null, 100m), Objective("1.10", null, 80m), Objective("2.1", null, 100m),
             Area(1, null, 90m), Area(2, null, 100m), Entity(null, 95m)],
            result.Changes);
    }

    [Fact]
    public void A_branch_moved_between_areas_updates_both_areas()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, own: 80m), Branch("1.2", 1, own: 100m), Branch("2.1", 2, own: 100m));
        Assert.Equal(90m, card.MeanOf(1));
        Assert.Equal(100m, card.MeanOf(2));
        Assert.Equal(95m, card.EntityLevel);

        var result = card.Upsert(Branch("1.1", 2, version: 2, own: 80m));

        // Its own score and the entity level are unchanged, so only the two areas are reported.
        Assert.Equal([Area(1, 90m, 100m), Area(2, 100m, 90m)], result.Changes);
        Assert.Equal(95m, card.EntityLevel);
        var areas = card.Snapshot().Areas;
        Assert.Equal(["1.2"], areas[0].StrategicObjectives.Select(o => o.Code));
        Assert.Equal(["1.1", "2.1"], areas[1].StrategicObjectives.Select(o => o.Code));
    }

    [Fact]
    public void Moving_the_only_assessed_objective_out_leaves_the_old_area_not_assessed()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, own: 80m), Branch("2.1", 2, own: 100m));
        var result = card.Upsert(Branch("1.1", 3, version: 2, own: 70m));
        Assert.Equal(
            [Objective("1.1", 80m, 70m), Area(1, 80m, null), Area(3, null, 70m), Entity(90m, 85m)],
            result.Changes);
        Assert.Null(card.MeanOf(1));
    }

    [Fact]
    public void Removal_takes_the_objective_out_of_its_area_and_the_entity()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, own: 80m), Branch("1.2", 1, own: 100m), Branch("2.1", 2, own: 60m));
        Assert.Equal(75m, card.EntityLevel);

        var result = card.Remove(2, "1.1");

        Assert.Equal([Objective("1.1", 80m, null), Area(1, 90m, 100m), Entity(75m, 80m)], result.Changes);
        Assert.Null(card.ScoreOf("1.1"));
        Assert.Equal(["1.2"], card.Snapshot().Areas[0].StrategicObjectives.Select(o => o.Code));
    }

    [Fact]
    public void Removing_the_last_objective_of_an_area_drops_the_area_from_the_entity_level()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, own: 100m), Branch("2.1", 2, own: 60m));
        var result = card.Remove(2, "2.1");
        Assert.Equal([Objective("2.1", 60m, null), Area(2, 60m, null), Entity(80m, 100m)], result.Changes);
    }

    [Fact]
    public void A_late_older_upsert_never_overwrites_a_newer_one()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, version: 5, own: 100m));
        var result = card.Upsert(Branch("1.1", 2, version: 4, own: 10m));
        Assert.Empty(result.Changes);
        Assert.Equal(1, result.IgnoredAsStale);
        Assert.Equal(100m, card.ScoreOf("1.1"));
        Assert.Equal(100m, card.MeanOf(1));
        Assert.Null(card.MeanOf(2));
    }

    [Fact]
    public void A_redelivered_event_changes_nothing()
    {
        var card = new YearScorecard(2024);
        var branch = Branch("1.1", 1, version: 3, own: 90m);
        card.Upsert(branch);
        var again = card.Upsert(branch with { OwnValue = 50m }); // same version: a redelivery, whatever it says
        Assert.Empty(again.Changes);
        Assert.Equal(1, again.IgnoredAsStale);
        Assert.Equal(90m, card.ScoreOf("1.1"));
    }

    [Fact]
    public void A_removal_keeps_a_tombstone_against_late_older_upserts()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, version: 1, own: 100m));
        card.Remove(5, "1.1");

        var late = card.Upsert(Branch("1.1", 1, version: 4, own: 100m));
        Assert.Empty(late.Changes);
        Assert.Equal(1, late.IgnoredAsStale);
        Assert.Null(card.ScoreOf("1.1"));

        Assert.Equal(1, card.Remove(5, "1.1").IgnoredAsStale); // redelivered removal
        var revived = card.Upsert(Branch("1.1", 1, version: 6, own: 70m));
        Assert.Equal([Objective("1.1", null, 70m), Area(1, null, 70m), Entity(null, 70m)], revived.Changes);
    }

    [Fact]
    public void A_stale_removal_is_ignored()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, version: 7, own: 100m));
        var result = card.Remove(6, "1.1");
        Assert.Empty(result.Changes);
        Assert.Equal(1, result.IgnoredAsStale);
        Assert.Equal(100m, card.ScoreOf("1.1"));
    }

    [Fact]
    public void A_removal_of_an_unknown_code_blocks_its_older_upserts()
    {
        var card = new YearScorecard(2024);
        Assert.Empty(card.Remove(3, "4.4").Changes);
        Assert.Equal(1, card.Upsert(Branch("4.4", 4, version: 2, own: 100m)).IgnoredAsStale);
        Assert.Null(card.ScoreOf("4.4"));
    }

    [Fact]
    public void A_change_that_leaves_values_equal_reports_no_change_but_is_kept()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, own: 90m, ops: [Op(80m), Op(100m)]));
        var result = card.Upsert(Branch("1.1", 1, version: 2, own: 10m, title: "Renamed",
            ops: [Op(90m), Op(90m), Op(null)]));
        Assert.Empty(result.Changes);
        Assert.Equal(0, result.IgnoredAsStale);
        var objective = card.Snapshot().Areas[0].StrategicObjectives[0];
        Assert.Equal("Renamed", objective.Title);
        Assert.Equal(3, objective.OperationalObjectives.Count);
    }

    [Fact]
    public void Two_versions_of_one_objective_in_one_batch_report_one_change_from_the_first_state()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, own: 50m));
        var result = card.Upsert(Branch("1.1", 1, version: 2, own: 70m), Branch("1.1", 1, version: 3, own: 80m));
        Assert.Equal([Objective("1.1", 50m, 80m), Area(1, 50m, 80m), Entity(50m, 80m)], result.Changes);
    }

    [Fact]
    public void An_invalid_batch_changes_nothing()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, own: 50m));
        Assert.Throws<ArgumentException>(() => card.Upsert(
            Branch("1.2", 1, version: 2, own: 100m),
            Branch("1.3", 1, version: 2, ops: [Op(100m, weight: 0m)])));
        Assert.Null(card.ScoreOf("1.2"));
        Assert.Equal(50m, card.MeanOf(1));
        // Nothing was recorded as seen either: the same events, corrected, still apply.
        Assert.True(card.Upsert(Branch("1.2", 1, version: 2, own: 100m)).HasChanges);
    }

    [Fact]
    public void Area_names_and_declared_figures_do_not_change_computed_ones()
    {
        var card = new YearScorecard(2024);
        card.SetArea(new AreaInfo(1, "Turismo", 80m));
        card.SetDeclaredEntityLevel(80m);
        card.Upsert(Branch("1.1", 1, own: 100m));
        var area = Assert.Single(card.Snapshot().Areas);
        Assert.Equal(("Turismo", 100m, 80m), (area.Name, area.Mean, area.DeclaredMean));
        Assert.Equal(100m, card.EntityLevel);
        Assert.Equal(80m, card.Snapshot().DeclaredEntityLevel);
    }

    [Fact]
    public void A_plan_of_100_000_operational_objectives_recomputes_only_what_one_change_touches()
    {
        // 10 areas × 100 strategic objectives × 100 operational objectives (the bench's shape).
        var card = new YearScorecard(2024);
        var plan = new List<StrategicObjectiveBranch>();
        for (var area = 1; area <= 10; area++)
            for (var n = 1; n <= 100; n++)
                plan.Add(Branch($"{area}.{n}", area,
                    ops: Enumerable.Range(0, 100).Select(i => Op(i == 0 && n == 1 ? 0m : 100m)).ToArray()));
        card.Apply(plan, [], 1);
        Assert.Equal(99m, card.ScoreOf("3.1"));
        Assert.Equal(99.99m, card.MeanOf(3));
        Assert.Equal(99.99m, card.EntityLevel);

        var result = card.Upsert(Branch("3.1", 3, version: 2,
            ops: Enumerable.Range(0, 100).Select(_ => Op(100m)).ToArray()));

        // (9 × 99,99 + 100) / 10 = 99,991 → 99,99: the entity level does not move, so it is not reported.
        Assert.Equal([Objective("3.1", 99m, 100m), Area(3, 99.99m, 100m)], result.Changes);
        Assert.Equal(99.99m, card.EntityLevel);
    }
}
