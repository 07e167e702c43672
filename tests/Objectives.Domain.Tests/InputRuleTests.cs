using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Tests;

/// <summary>The value types that hold each input rule, one place each, as every entry point uses them.</summary>
public class InputRuleTests
{
    public const string TwentyOneCharacterCode = "1.1234567890123456789";

    [Theory]
    [InlineData("1.13", "1.13", 1, 13)]
    [InlineData("8.1.", "8.1", 8, 1)]
    [InlineData(" 10.2 ", "10.2", 10, 2)]
    [InlineData("01.013", "1.13", 1, 13)]
    [InlineData("999.999", "999.999", 999, 999)]
    public void A_strategic_code_is_area_dot_number(string text, string value, int area, int number)
    {
        Assert.True(StrategicCode.TryParse(text, out var code, out var error), error);
        Assert.Equal((value, area, number), (code.Value, code.Area, code.Number));
    }

    [Theory]
    [InlineData(TwentyOneCharacterCode, "21 characters long")]
    [InlineData("1000.1", "at most three digits each")]
    [InlineData("0.1", "area and number start at 1")]
    [InlineData("1.0", "area and number start at 1")]
    [InlineData("1.2.3", "is not a strategic objective code")]
    [InlineData("A.1", "is not a strategic objective code")]
    [InlineData("1", "is not a strategic objective code")]
    [InlineData("١.١", "is not a strategic objective code")] // Arabic-Indic digits are no area number
    [InlineData("", "is required")]
    public void A_strategic_code_that_breaks_the_rule_is_refused_with_the_reason(string text, string reason)
    {
        Assert.False(StrategicCode.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
        var refused = Assert.Throws<InvalidPlanInputException>(() => StrategicCode.Parse(text, "strategic_objective_code"));
        Assert.Equal("strategic_objective_code", refused.Field);
    }

    [Fact]
    public void Every_code_the_rule_allows_fits_the_database_column()
    {
        Assert.Null(StrategicCode.CheckAreaNumber(StrategicCode.MaxArea));
        Assert.Contains("areas are numbered from 1 to 999", StrategicCode.CheckAreaNumber(1000));
        Assert.Contains("areas are numbered from 1 to 999", StrategicCode.CheckAreaNumber(0));
        Assert.True(StrategicCode.MaxLength <= StrategicCode.StoredMaxLength);
        Assert.Equal(21, TwentyOneCharacterCode.Length);
    }

    [Theory]
    [InlineData(98.03999999999999, 98.04)]
    [InlineData(0.1 + 0.2, 0.3)]
    [InlineData(100.00000000000001, 100)]
    [InlineData(96.67, 96.67)]
    [InlineData(0.0, 0)]
    [InlineData(100.0, 100)]
    public void A_double_within_a_rounding_error_of_two_decimals_is_that_value(double sent, double expected)
    {
        Assert.True(Realization.TryFromDouble(sent, out var realization, out var error), error);
        Assert.Equal((decimal)expected, realization.Value);
    }

    [Theory]
    [InlineData(98.041, "has more than two decimals")]
    [InlineData(98.0400001, "has more than two decimals")]
    [InlineData(130.0, "130 is out of range")]
    [InlineData(-1.0, "-1 is out of range")]
    [InlineData(100.01, "100.01 is out of range")]
    [InlineData(double.NaN, "is not a number")]
    [InlineData(double.PositiveInfinity, "is not a number")]
    public void A_double_further_off_or_out_of_range_is_refused(double sent, string reason)
    {
        Assert.False(Realization.TryFromDouble(sent, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("98,041", "has more than two decimals")]
    [InlineData("130", "130 is out of range")]
    [InlineData("-1", "-1 is out of range")]
    public void A_percentage_as_text_keeps_its_rule(string text, string reason)
    {
        Assert.False(Realization.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("0.0001", 0.0001)]
    [InlineData("2.5", 2.5)]
    [InlineData("1000", 1000)]
    public void A_weight_above_zero_up_to_1000_with_four_decimals_is_kept(string text, double expected)
    {
        Assert.True(Weight.TryCreate(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), out var weight, out var error), error);
        Assert.Equal((decimal)expected, weight.Value);
    }

    [Theory]
    [InlineData("0.00001", "has more than four decimals")]
    [InlineData("1001", "a weight is at most 1000")]
    [InlineData("0", "is not a positive number")]
    [InlineData("-1", "is not a positive number")]
    public void A_weight_the_database_cannot_keep_or_the_rule_refuses_is_refused(string text, string reason)
    {
        Assert.False(Weight.TryCreate(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData(0.1 + 0.2, 0.3)]
    [InlineData(2.5, 2.5)]
    public void A_weight_as_a_double_follows_the_same_tolerance(double sent, double expected)
    {
        Assert.True(Weight.TryFromDouble(sent, out var weight, out var error), error);
        Assert.Equal((decimal)expected, weight.Value);
        Assert.False(Weight.TryFromDouble(0.00001, out _, out error));
        Assert.Contains("has more than four decimals", error);
    }

    [Theory]
    [InlineData(0, null, null, "0 is not a plan year")]
    [InlineData(-2023, null, null, "is not a plan year")]
    [InlineData(20230, null, null, "is not a plan year")]
    [InlineData(2025, 2019, 2024, "the year 2025 is outside the mandate 2019 - 2024")]
    public void A_year_is_sane_and_within_the_mandate_where_known(int year, int? start, int? end, string reason)
    {
        Assert.Contains(reason, PlanningYear.Check(year, start, end));
        Assert.Null(PlanningYear.Check(2023, 2019, 2024));
        Assert.Null(PlanningYear.Check(2023));
        Assert.Equal("year", Assert.Throws<InvalidPlanInputException>(() => PlanningYear.Require(0, "year")).Field);
    }

    [Fact]
    public void Texts_fit_their_limits_and_the_database_widths()
    {
        Assert.Null(PlanText.CheckLength(new string('x', PlanText.Title), PlanText.Title));
        Assert.Equal($"is {PlanText.Title + 1} characters long; at most {PlanText.Title} are kept",
            PlanText.CheckLength(new string('x', PlanText.Title + 1), PlanText.Title));
        Assert.Equal("must not be empty", PlanText.CheckRequired("  ", PlanText.Title));
        Assert.Equal(300, PlanText.EntityName); // plan_years.EntityName is varchar(300)
        var refused = Assert.Throws<InvalidPlanInputException>(() => PlanText.Required(new string('x', 4001), PlanText.Title, "title"));
        Assert.Equal("title", refused.Field);
    }

    [Fact]
    public void The_validator_refuses_each_bad_value_of_a_plan_naming_where()
    {
        var operational = OperationalObjectiveDraft.FromText("Benessere Sociale: obiettivo");
        var plan = new PlanDocument("Città di Lecce", 2019, 2024, 0,
        [
            new AreaDraft(1, "Turismo", null, null,
            [
                new StrategicObjectiveDraft(TwentyOneCharacterCode, "Titolo", null, [operational]),
                new StrategicObjectiveDraft("1.2", new string('t', PlanText.Title + 1), null,
                [
                    operational with { Weight = 0.00001m },
                    operational with { Weight = 1001m },
                    operational with { Title = new string('o', PlanText.Title + 1) },
                ]),
            ]),
        ], null);

        var messages = PlanValidator.Validate(plan).Select(p => p.Message).ToList();

        Assert.Contains(messages, m => m.StartsWith("the year: 0 is not a plan year"));
        Assert.Contains(messages, m => m.StartsWith("strategic objective code: \"1.1234567890123456789\" is 21 characters long"));
        Assert.Contains("strategic objective 1.2: the title is 4001 characters long; at most 4000 are kept", messages);
        Assert.Contains("operational objective 1 of 1.2: the weight 0.00001 has more than four decimals: a weight keeps at most four (e.g. 0.0001)", messages);
        Assert.Contains("operational objective 2 of 1.2: the weight 1001 is not a valid weight: a weight is at most 1000", messages);
        Assert.Contains("operational objective 3 of 1.2: the title is 4001 characters long; at most 4000 are kept", messages);
        Assert.Equal(6, messages.Count);
    }
}
