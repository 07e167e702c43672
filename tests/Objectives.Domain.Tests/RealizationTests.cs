using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Tests;

public class RealizationTests
{
    [Theory]
    [InlineData("96,67", 96.67)]
    [InlineData("100", 100)]
    [InlineData("100,00", 100)]
    [InlineData("0", 0)]
    [InlineData("96.67", 96.67)]
    [InlineData("88,5 %", 88.5)]
    [InlineData(" 75% ", 75)]
    public void Reads_a_percentage_as_printed(string text, double expected)
    {
        Assert.True(Realization.TryParse(text, out var realization, out var error));
        Assert.Null(error);
        Assert.Equal((decimal)expected, realization.Value);
        Assert.True(realization.IsAssessed);
    }

    [Fact]
    public void Reads_a_slash_as_not_assessed()
    {
        Assert.True(Realization.TryParse("/", out var realization, out _));
        Assert.Equal(Realization.NotAssessed, realization);
        Assert.False(realization.IsAssessed);
        Assert.Null(realization.Value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(null, "empty")]
    [InlineData("abc", "\"abc\" is not a percentage")]
    [InlineData("1.000,5", "is not a percentage")]
    [InlineData("130", "130 is out of range")]
    [InlineData("-5", "-5 is out of range")]
    [InlineData("100,01", "out of range")]
    [InlineData("12,345", "12,345 has more than two decimals")]
    public void Refuses_what_is_not_a_percentage_with_a_reason(string? text, string reason)
    {
        Assert.False(Realization.TryParse(text, out var realization, out var error));
        Assert.Contains(reason, error);
        Assert.Equal(Realization.NotAssessed, realization);
    }

    [Fact]
    public void Prints_in_italian()
    {
        Assert.Equal("96,67", Realization.Of(96.67m).ToString());
        Assert.Equal("100,00", Realization.Of(100m).ToString());
        Assert.Equal("/", Realization.NotAssessed.ToString());
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(100.5)]
    [InlineData(50.123)]
    public void Of_refuses_values_no_report_can_hold(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Realization.Of((decimal)value));
}
