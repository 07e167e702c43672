namespace PerfPlatform.Scoring.Domain.Tests;

public class RollUpTests
{
    [Fact]
    public void Equal_weights_give_the_plain_mean() =>
        Assert.Equal(95m, RollUp.WeightedMean([(100m, 1m), (90m, 1m), (95m, 1m)]));

    [Fact]
    public void Weights_count() =>
        Assert.Equal(87.5m, RollUp.WeightedMean([(100m, 3m), (50m, 1m)]));

    [Fact]
    public void Nothing_assessed_gives_null()
    {
        Assert.Null(RollUp.WeightedMean([(null, 1m), (null, 2m)]));
        Assert.Null(RollUp.WeightedMean([]));
        Assert.Null(RollUp.Mean([null, null]));
    }

    [Fact]
    public void Not_assessed_is_never_counted_as_zero()
    {
        // "/" next to 100: the mean is 100, not 50; its weight is left out too.
        Assert.Equal(100m, RollUp.WeightedMean([(100m, 1m), (null, 5m)]));
        Assert.Equal(95m, RollUp.Mean([90m, null, 100m, null]));
    }

    [Fact]
    public void An_assessed_entry_needs_a_positive_weight()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RollUp.WeightedMean([(100m, 0m)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RollUp.WeightedMean([(100m, -1m)]));
        Assert.Null(RollUp.WeightedMean([(null, 0m)])); // not assessed: its weight is never read
    }

    [Theory]
    [InlineData("99.585", "99.59")]
    [InlineData("0.005", "0.01")]
    [InlineData("-0.005", "-0.01")]
    [InlineData("99.584999", "99.58")]
    [InlineData("99.5750", "99.58")]
    [InlineData("100", "100")]
    public void Rounds_to_two_decimals_half_away_from_zero(string value, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            RollUp.Round(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Round_keeps_not_assessed()
    {
        Assert.Null(RollUp.Round((decimal?)null));
        Assert.Equal(96.67m, RollUp.Round((decimal?)(290m / 3m)));
    }

    [Fact]
    public void Running_mean_adds_and_removes_exactly()
    {
        var mean = new RunningMean();
        mean.Add(96.67m);
        mean.Add(100m);
        mean.Add(90m, 2m);
        Assert.Equal(3, mean.Count);
        Assert.Equal((96.67m + 100m + 180m) / 4m, mean.Value);
        mean.Remove(90m, 2m);
        Assert.Equal(98.335m, mean.Value);
        mean.Remove(96.67m);
        mean.Remove(100m);
        Assert.Null(mean.Value);
        Assert.Throws<InvalidOperationException>(() => mean.Remove(100m));
    }

    [Fact]
    public void Figures_read_as_in_the_documents()
    {
        Assert.Equal("99,58", Figures.Format(99.58m));
        Assert.Equal("100,00", Figures.Format(100m));
        Assert.Equal("95,50", Figures.Format(95.5m));
        Assert.Equal("/", Figures.Format(null));
    }

    [Fact]
    public void Codes_sort_as_in_the_document()
    {
        string[] codes = ["1.10", "10.1", "1.2", "8.1.", "1.1", "2.9"];
        Assert.Equal(["1.1", "1.2", "1.10", "2.9", "8.1.", "10.1"], codes.Order(ObjectiveCodeComparer.Instance));
    }
}
