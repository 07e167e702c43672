using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Tests;

/// <summary>Indicators to percentages (docs/domain.md, "Indicators").</summary>
public class IndicatorRealizationTests
{
    private static IndicatorDraft Ind(decimal? baseline, decimal? target, decimal? actual, IndicatorDirection direction, string name = "indicatore") =>
        new(name, baseline, target, actual, "n.", direction);

    private static IndicatorProgress One(decimal? baseline, decimal? target, decimal? actual, IndicatorDirection direction) =>
        IndicatorRealization.Progress(Ind(baseline, target, actual, direction));

    [Theory]
    [InlineData(0, 100, 96.67, 96.67)]
    [InlineData(20, 80, 50, 50)]
    [InlineData(0, 3, 1, 33.33)]
    [InlineData(0, 3, 2, 66.67)] // 66.666... half away from zero
    [InlineData(10, 20, 10, 0)]
    [InlineData(10, 20, 20, 100)]
    public void An_increase_is_the_share_of_the_way_from_baseline_to_target(double b, double t, double a, double expected)
    {
        var p = One((decimal)b, (decimal)t, (decimal)a, IndicatorDirection.Increase);
        Assert.Equal((IndicatorRule.Increase, (decimal?)expected), (p.Rule, p.Progress));
    }

    [Theory]
    [InlineData(30, 15, 20, 66.67)]
    [InlineData(30, 15, 15, 100)]
    [InlineData(30, 15, 30, 0)]
    [InlineData(100, 0, 25, 75)]
    public void A_decrease_is_mirrored(double b, double t, double a, double expected)
    {
        var p = One((decimal)b, (decimal)t, (decimal)a, IndicatorDirection.Decrease);
        Assert.Equal((IndicatorRule.Decrease, (decimal?)expected), (p.Rule, p.Progress));
    }

    [Theory]
    [InlineData(0, 100, 150, IndicatorDirection.Increase, 150, 100)]
    [InlineData(50, 100, 20, IndicatorDirection.Increase, -60, 0)]
    [InlineData(30, 15, 12.5, IndicatorDirection.Decrease, 116.67, 100)]
    [InlineData(30, 15, 45, IndicatorDirection.Decrease, -100, 0)]
    [InlineData(0, 10, 30, IndicatorDirection.Target, -100, 0)]
    public void Progress_is_capped_to_0_and_100_and_keeps_the_uncapped_figure(
        double b, double t, double a, IndicatorDirection direction, double uncapped, double capped)
    {
        var p = One((decimal)b, (decimal)t, (decimal)a, direction);
        Assert.Equal((decimal)capped, p.Progress);
        Assert.Equal((decimal)uncapped, Math.Round(p.Uncapped!.Value, 2, MidpointRounding.AwayFromZero));
    }

    [Theory]
    [InlineData(0, 10, 10, 100)]
    [InlineData(0, 10, 8, 80)]
    [InlineData(0, 10, 12, 80)]
    public void A_target_direction_counts_the_distance_from_the_target(double b, double t, double a, double expected)
    {
        var p = One((decimal)b, (decimal)t, (decimal)a, IndicatorDirection.Target);
        Assert.Equal((IndicatorRule.Target, (decimal?)expected), (p.Rule, p.Progress));
    }

    [Theory]
    [InlineData(IndicatorDirection.Increase, 5, 100)]
    [InlineData(IndicatorDirection.Increase, 6, 100)]
    [InlineData(IndicatorDirection.Increase, 4, 0)]
    [InlineData(IndicatorDirection.Decrease, 5, 100)]
    [InlineData(IndicatorDirection.Decrease, 4, 100)]
    [InlineData(IndicatorDirection.Decrease, 6, 0)]
    [InlineData(IndicatorDirection.Target, 5, 100)]
    [InlineData(IndicatorDirection.Target, 5.1, 0)]
    public void A_target_equal_to_the_baseline_is_reached_or_not(IndicatorDirection direction, double actual, double expected)
    {
        var p = One(5m, 5m, (decimal)actual, direction);
        Assert.Equal((IndicatorRule.ReachedOrNot, (decimal?)expected), (p.Rule, p.Progress));
    }

    [Fact]
    public void Indicators_without_an_actual_value_are_left_out_not_counted_as_0()
    {
        var computed = IndicatorRealization.Compute(
        [
            Ind(0, 100, 80, IndicatorDirection.Increase, "misurato"),
            Ind(0, 100, null, IndicatorDirection.Increase, "non ancora misurato"),
            Ind(null, 100, 50, IndicatorDirection.Increase, "senza baseline"),
            Ind(0, null, 50, IndicatorDirection.Increase, "senza target"),
            Ind(10, 5, 7, IndicatorDirection.Increase, "target al contrario"),
        ]);

        Assert.Equal(Realization.Of(80m), computed.Value);
        Assert.Equal(["misurato"], computed.Counted.Select(i => i.Name));
        Assert.Equal([IndicatorRule.NoActual, IndicatorRule.NoBaseline, IndicatorRule.NoTarget, IndicatorRule.TargetAgainstDirection],
            computed.LeftOut.Select(i => i.Rule));
    }

    [Fact]
    public void The_objective_is_the_mean_of_its_counted_indicators_with_formula_and_inputs()
    {
        var computed = IndicatorRealization.Compute(
        [
            Ind(0, 100, 96.67m, IndicatorDirection.Increase, "Pratiche pagate con PagoPA"),
            Ind(30, 15, 12.5m, IndicatorDirection.Decrease, "Tempo medio di rilascio"),
            Ind(0, 3, 1, IndicatorDirection.Increase, "Sportelli aperti"),
        ]);

        // (96.67 + 100 + 33.33) / 3 = 76.666... -> 76.67
        Assert.Equal(Realization.Of(76.67m), computed.Value);
        Assert.Equal("(96.67 + 100 + 33.33) / 3 = 76.67", computed.Formula);
        var time = computed.Indicators[1];
        Assert.Equal((30m, 15m, 12.5m, IndicatorDirection.Decrease), (time.Baseline!.Value, time.Target!.Value, time.Actual!.Value, time.Direction));
        Assert.Equal("(30 − 12.5) / (30 − 15) × 100 = 116.67 → 100", time.Formula);
        Assert.Equal("(0 − 0) / (3 − 0) × 100 = 0", One(0, 3, 0, IndicatorDirection.Increase).Formula);
    }

    [Fact]
    public void With_no_indicator_counted_there_is_no_computed_value()
    {
        var computed = IndicatorRealization.Compute([Ind(0, 100, null, IndicatorDirection.Increase)]);

        Assert.Null(computed.Value);
        Assert.Equal("", computed.Formula);
        Assert.Null(IndicatorRealization.Compute([]).Value);
    }

    [Fact]
    public void A_tiny_step_from_baseline_to_target_does_not_overflow()
    {
        var p = One(0m, 0.0000000000000000000001m, 999_999_999_999m, IndicatorDirection.Increase);
        Assert.Equal(100m, p.Progress);
    }
}
