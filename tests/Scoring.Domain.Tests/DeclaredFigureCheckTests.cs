using static PerfPlatform.Scoring.Domain.Tests.Build;

namespace PerfPlatform.Scoring.Domain.Tests;

/// <summary>
/// The causes of a declared figure (DeclaredFigureCheck) and the calculation log of any figure, on the 2023
/// annex and on synthetic plans made to hold one slip each.
/// </summary>
public class DeclaredFigureCheckTests
{
    private static string Keys(DiscrepancyExplanation cause) => string.Join(",", cause.ChildKeys);

    private static readonly string[] Area1AtFull = ["1.1", "1.10", "1.11", "1.12", "1.14", "1.15", "1.16"];

    [Fact]
    public void Area_1_of_2023_declares_the_mean_of_7_of_its_8_objectives_any_one_at_100_left_out()
    {
        var area = Lecce2023.Load().CheckConsistency().Single(d => d.Level == ScoreLevel.Area);

        var cause = Assert.Single(area.Causes);
        Assert.Equal(DiscrepancyCause.ChildLeftOut, cause.Cause);
        Assert.Equal(Area1AtFull, cause.ChildKeys); // 1.13 (96,67) is not a candidate: leaving it out gives 100
        Assert.Equal((1, 100m, 99.52m, true), (cause.ChildrenTaken, cause.ChildValue, cause.Reproduced, cause.HasAlternatives));
        Assert.Contains(
            "declared 99,52 = the mean of 7 of the 8 strategic objectives: one at 100,00 left out (any of 1.1, 1.10, 1.11, 1.12, 1.14, 1.15, 1.16)",
            area.Explanation);
    }

    [Fact]
    public void The_entity_level_of_2023_follows_from_area_1s_declared_MEDIA()
    {
        var entity = Lecce2023.Load().CheckConsistency().Single(d => d.Level == ScoreLevel.Entity);

        var declared = Assert.Single(entity.Causes, c => c.Cause == DiscrepancyCause.DeclaredChildValue);
        Assert.Equal(("1", 99.52m, 99.39m), (Keys(declared), declared.ChildValue, declared.Reproduced));
        Assert.Contains("declared 99,39 follows from the declared 99,52 of area 1 instead of its computed 99,58", entity.Explanation);
        // (99,58 + 7 × 100 + 95) / 9 = 99,3977…: cut at two decimals it is 99,39 as well. Both are reported, a
        // reader weighs them; nothing else tried gives 99,39.
        var truncated = Assert.Single(entity.Causes, c => c.Cause == DiscrepancyCause.RoundedAfter);
        Assert.Equal((2, true, 99.39m), (truncated.Decimals, truncated.Truncated, truncated.Reproduced));
        Assert.Equal(2, entity.Causes.Count);
    }

    [Fact]
    public void The_calculation_log_gives_every_figure_with_its_inputs_and_the_rule_of_the_scorecard()
    {
        var card = Lecce2023.Load();

        var entity = card.CalculationOf(ScoreLevel.Entity, "")!;
        Assert.Equal((CalculationRule.MeanOfAssessed, 99.40m, 99.39m), (entity.Rule, entity.Result, entity.Declared));
        Assert.Equal(10, entity.Inputs.Count);
        var area9 = entity.Inputs.Single(i => i.Key == "9");
        Assert.Equal((false, ExclusionReason.NotAssessed, (decimal?)null), (area9.Included, area9.ExcludedBecause, area9.Value));
        Assert.Equal((99.58m, 99.52m, 1m, true), (entity.Inputs[0].Value, entity.Inputs[0].Declared, entity.Inputs[0].Weight, entity.Inputs[0].Included));

        var area1 = card.CalculationOf(ScoreLevel.Area, "1")!;
        Assert.Equal(99.58m, area1.Result);
        Assert.Equal(8, area1.Inputs.Count(i => i.Included));
        Assert.Equal((ScoreLevel.StrategicObjective, 96.67m), (area1.Inputs.Single(i => i.Key == "1.13").Level, area1.Inputs.Single(i => i.Key == "1.13").Value));

        // 1.13's nine operational objectives carry no value of their own: its printed % stands, and each is listed as not assessed.
        var objective = card.CalculationOf(ScoreLevel.StrategicObjective, "1.13")!;
        Assert.Equal((CalculationRule.OwnValue, 96.67m), (objective.Rule, objective.Result));
        Assert.Equal(9, objective.Inputs.Count);
        Assert.All(objective.Inputs, i => Assert.Equal((ScoreLevel.OperationalObjective, false, ExclusionReason.NotAssessed),
            (i.Level, i.Included, i.ExcludedBecause)));

        Assert.Null(card.CalculationOf(ScoreLevel.StrategicObjective, "1.99"));
        Assert.Null(card.CalculationOf(ScoreLevel.Area, "11"));
    }

    [Fact]
    public void Every_figure_of_the_log_equals_the_scorecards_own()
    {
        var card = Lecce2023.Load();
        card.Upsert(Branch("1.13", 1, 2, own: 96.67m, declared: 96.67m, ops: [Op(90m, 2m), Op(null), Op(97.333m)]));
        var snapshot = card.Snapshot();
        Assert.Equal(snapshot.EntityLevel, card.CalculationOf(ScoreLevel.Entity, "")!.Result);
        foreach (var area in snapshot.Areas)
        {
            Assert.Equal(area.Mean, card.CalculationOf(ScoreLevel.Area, area.Number.ToString())!.Result);
            foreach (var o in area.StrategicObjectives)
                Assert.Equal(o.Score, card.CalculationOf(ScoreLevel.StrategicObjective, o.Code)!.Result);
        }
        var weighted = card.CalculationOf(ScoreLevel.StrategicObjective, "1.13")!;
        // (90 × 2 + 97,33) / 3 = 92,44; the unassessed one is listed, left out, its weight too.
        Assert.Equal((CalculationRule.MeanOfAssessed, 92.44m), (weighted.Rule, weighted.Result));
        Assert.Equal([(90m, 2m, true), (null, 1m, false), (97.33m, 1m, true)], weighted.Inputs.Select(i => (i.Value, i.Weight, i.Included)));
    }

    // Synthetic areas, one slip each. Area 1 holds the children; its declared MEDIA is the slip's result.
    private static Discrepancy AreaWith(decimal declared, params (string Code, decimal? Value, decimal? Declared)[] children)
    {
        var card = new YearScorecard(2024);
        card.SetArea(new AreaInfo(1, "Prova", declared));
        card.Upsert(children.Select(c => Branch(c.Code, 1, own: c.Value, declared: c.Declared)).ToArray());
        return Assert.Single(card.CheckConsistency(), d => d.Level == ScoreLevel.Area);
    }

    [Fact]
    public void A_child_left_out_with_a_value_of_its_own_is_named_alone()
    {
        // 80, 90, 100 → 90,00; without 80 → 95,00.
        var found = AreaWith(95m, ("1.1", 80m, null), ("1.2", 90m, null), ("1.3", 100m, null));
        var cause = Assert.Single(found.Causes);
        Assert.Equal((DiscrepancyCause.ChildLeftOut, "1.1", 1, 80m, false),
            (cause.Cause, Keys(cause), cause.ChildrenTaken, cause.ChildValue, cause.HasAlternatives));
        Assert.Contains("declared 95,00 = the mean of 2 of the 3 strategic objectives: 1.1 (80,00) left out", found.Explanation);
    }

    [Fact]
    public void Two_children_left_out_are_found_when_no_single_one_explains()
    {
        // 60, 70, 80, 100 → 77,50; without 60 and 70 → 90,00 (no single one gives it).
        var found = AreaWith(90m, ("1.1", 60m, null), ("1.2", 70m, null), ("1.3", 80m, null), ("1.4", 100m, null));
        var cause = Assert.Single(found.Causes);
        Assert.Equal((DiscrepancyCause.ChildLeftOut, "1.1,1.2", 2, 90m), (cause.Cause, Keys(cause), cause.ChildrenTaken, cause.Reproduced));
    }

    [Fact]
    public void A_child_counted_twice()
    {
        // 70, 100 → 85,00; 70 twice → 80,00.
        var found = AreaWith(80m, ("1.1", 70m, null), ("1.2", 100m, null));
        var cause = Assert.Single(found.Causes);
        Assert.Equal((DiscrepancyCause.ChildCountedTwice, "1.1", 70m, 80m), (cause.Cause, Keys(cause), cause.ChildValue, cause.Reproduced));
        Assert.Contains("declared 80,00 = the mean with 1.1 (70,00) counted twice", found.Explanation);
    }

    [Fact]
    public void A_childs_declared_value_used_instead_of_its_computed_one()
    {
        // 1.1 computes to 80 from its operational objectives but declares 88: 80, 100 → 90,00; 88, 100 → 94,00.
        var card = new YearScorecard(2024);
        card.SetArea(new AreaInfo(1, "Prova", 94m));
        card.Upsert(Branch("1.1", 1, declared: 88m, ops: [Op(80m)]), Branch("1.2", 1, own: 100m));
        var found = card.CheckConsistency().Single(d => d.Level == ScoreLevel.Area);
        var cause = Assert.Single(found.Causes);
        Assert.Equal((DiscrepancyCause.DeclaredChildValue, "1.1", 88m, 94m), (cause.Cause, Keys(cause), cause.ChildValue, cause.Reproduced));
        // 1.1's own slip is reported on its own line: its one operational objective gives 80, nothing reproduces 88.
        var objective = card.CheckConsistency().Single(d => d.Level == ScoreLevel.StrategicObjective);
        Assert.Equal(DiscrepancyCause.NoneFound, Assert.Single(objective.Causes).Cause);
    }

    [Fact]
    public void A_stale_child_value_is_tried_only_where_the_previous_value_is_known()
    {
        // The scorecard keeps no previous values, so this cause is never found from it; a calculation that carries
        // them (1.1 was 62 before its latest change to 80) is checked like the others: 80, 100, 90 → 90,00; with 62 → 84,00.
        var calculation = new Calculation(2024, ScoreLevel.Area, "1", "Area 1", CalculationRule.MeanOfAssessed, 90m, 84m,
        [
            new CalculationInput(ScoreLevel.StrategicObjective, "1.1", "", 80m, 1m, true, null, Previous: 62m),
            new CalculationInput(ScoreLevel.StrategicObjective, "1.2", "", 100m, 1m, true, null, Previous: 100m),
            new CalculationInput(ScoreLevel.StrategicObjective, "1.3", "", 90m, 1m, true, null),
        ]);
        var cause = Assert.Single(DeclaredFigureCheck.FindCauses(calculation));
        Assert.Equal((DiscrepancyCause.StaleChildValue, "1.1", 62m, 84m), (cause.Cause, Keys(cause), cause.ChildValue, cause.Reproduced));
        Assert.All(Lecce2023.Load().CalculationOf(ScoreLevel.Area, "1")!.Inputs, i => Assert.Null(i.Previous));
    }

    [Fact]
    public void Children_rounded_before_the_mean()
    {
        // 89,6 and 90,6 → 90,10; rounded to whole numbers first (90 and 91) → 90,50.
        var found = AreaWith(90.5m, ("1.1", 89.6m, null), ("1.2", 90.6m, null));
        var cause = Assert.Single(found.Causes);
        Assert.Equal((DiscrepancyCause.RoundedBefore, 0, 90.5m), (cause.Cause, cause.Decimals, cause.Reproduced));
        Assert.Contains("declared 90,50 = the mean of the strategic objectives each rounded to 0 decimals first", found.Explanation);
    }

    [Fact]
    public void The_mean_truncated_instead_of_rounded()
    {
        // 90, 90,01, 90,01 → 90,00666… → 90,01 rounded, 90,00 cut.
        var found = AreaWith(90.00m, ("1.1", 90m, null), ("1.2", 90.01m, null), ("1.3", 90.01m, null));
        Assert.Contains(found.Causes, c => c is { Cause: DiscrepancyCause.RoundedAfter, Decimals: 2, Truncated: true, Reproduced: 90.00m });
        Assert.Contains("declared 90,00 = the mean truncated to 2 decimals instead of rounded", found.Explanation);
    }

    [Fact]
    public void When_nothing_tried_reproduces_it_says_so()
    {
        // 70, 100 → 85,00 against a declared 50,00: nothing above gets there.
        var found = AreaWith(50m, ("1.1", 70m, null), ("1.2", 100m, null));
        var cause = Assert.Single(found.Causes);
        Assert.Equal((DiscrepancyCause.NoneFound, false, (decimal?)null), (cause.Cause, cause.ReproducesDeclared, cause.Reproduced));
        Assert.StartsWith("no cause tried", found.Explanation[^1]);
    }

    [Fact]
    public void A_declared_figure_where_nothing_is_assessed_has_no_cause_to_find()
    {
        var card = new YearScorecard(2024);
        card.SetArea(new AreaInfo(1, "Prova", 90m));
        card.Upsert(Branch("1.1", 1));
        var found = card.CheckConsistency().Single(d => d.Level == ScoreLevel.Area);
        Assert.Equal((CalculationRule.NotAssessed, (decimal?)null), (found.Calculation.Rule, found.Computed));
        Assert.Equal(DiscrepancyCause.NoneFound, Assert.Single(found.Causes).Cause);
    }

    [Fact]
    public void Interchangeable_children_left_out_in_pairs_are_named_as_alternatives()
    {
        // 40 and five at 100 → 90,00; without two at 100 → 85,00 (any two of the five).
        var found = AreaWith(85m, ("1.1", 40m, null), ("1.2", 100m, null), ("1.3", 100m, null), ("1.4", 100m, null), ("1.5", 100m, null), ("1.6", 100m, null));
        var cause = Assert.Single(found.Causes);
        Assert.Equal((DiscrepancyCause.ChildLeftOut, "1.2,1.3,1.4,1.5,1.6", 2, 100m, true),
            (cause.Cause, Keys(cause), cause.ChildrenTaken, cause.ChildValue, cause.HasAlternatives));
    }
}
