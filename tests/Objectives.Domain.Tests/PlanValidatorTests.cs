using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Tests;

public class PlanValidatorTests
{
    private static readonly OperationalObjectiveDraft Operational = OperationalObjectiveDraft.FromText("Benessere Sociale: obiettivo");

    private static StrategicObjectiveDraft Strategic(string code, string title = "Titolo", params OperationalObjectiveDraft[] operational) =>
        new(code, title, Realization.Of(100m), operational.Length == 0 ? [Operational] : operational);

    private static AreaDraft Area(int number, string name, params StrategicObjectiveDraft[] strategic) =>
        new(number, name, null, null, strategic);

    private static PlanDocument Plan(params AreaDraft[] areas) => new("Città di Lecce", 2019, 2024, 2023, areas, null);

    private static List<string> Messages(PlanDocument plan) => PlanValidator.Validate(plan).Select(p => p.Message).ToList();

    [Fact]
    public void A_sound_plan_has_no_errors()
    {
        Assert.Empty(PlanValidator.Validate(Plan(Area(1, "Turismo", Strategic("1.1"), Strategic("1.2")), Area(2, "Sport", Strategic("2.1")))));
        Assert.Empty(PlanValidator.Validate(Relazione2023.Plan));
    }

    [Fact]
    public void Finds_duplicate_area_numbers()
    {
        var messages = Messages(Plan(Area(1, "Turismo", Strategic("1.1")), Area(1, "Sport", Strategic("1.2"))));
        Assert.Equal(["area 1 appears more than once"], messages);
    }

    [Fact]
    public void Finds_duplicate_strategic_codes_across_areas()
    {
        var messages = Messages(Plan(Area(1, "Turismo", Strategic("1.1")), Area(2, "Sport", Strategic("1.1"))));
        Assert.Equal(["strategic objective 1.1 appears more than once"], messages);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.2.3")]
    [InlineData("A.1")]
    [InlineData("8.1.")]
    [InlineData("")]
    public void Finds_codes_not_of_the_form_area_number(string code)
    {
        var problems = PlanValidator.Validate(Plan(Area(1, "Turismo", Strategic(code))));
        Assert.Contains(problems, p => p.Message.Contains($"code \"{code}\" is not of the form area.number"));
        Assert.All(problems, p => Assert.Equal(0, p.Line));
    }

    [Fact]
    public void Finds_empty_names_and_titles()
    {
        var messages = Messages(Plan(Area(1, " ", Strategic("1.1", "", OperationalObjectiveDraft.FromText("")))) with { EntityName = "" });
        Assert.Contains("the entity name is empty", messages);
        Assert.Contains("area 1 has an empty name", messages);
        Assert.Contains("strategic objective 1.1 has an empty title", messages);
        Assert.Contains("operational objective 1 of 1.1 has an empty title", messages);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Finds_weights_not_above_zero(double weight)
    {
        var heavy = Operational with { Weight = (decimal)weight };
        var messages = Messages(Plan(Area(1, "Turismo", Strategic("1.1", "Titolo", Operational, heavy))));
        Assert.Equal([$"operational objective 2 of 1.1: the weight {(decimal)weight} is not a positive number: a weight is greater than 0"], messages);
    }

    [Theory]
    [InlineData(2018)]
    [InlineData(2025)]
    public void Finds_a_year_outside_the_mandate(int year)
    {
        var messages = Messages(Plan(Area(1, "Turismo", Strategic("1.1"))) with { Year = year });
        Assert.Equal([$"the year {year} is outside the mandate 2019 - 2024"], messages);
    }

    [Fact]
    public void Finds_a_mandate_that_ends_before_it_starts_and_a_plan_without_areas()
    {
        var messages = Messages(Plan() with { MandateStartYear = 2024, MandateEndYear = 2019 });
        Assert.Contains("the mandate 2024 - 2019 ends before it starts", messages);
        Assert.Contains("the plan has no areas", messages);
    }

    [Fact]
    public void Finds_area_numbers_below_one()
    {
        Assert.Contains("area \"Turismo\" has number 0: area numbers start at 1", Messages(Plan(Area(0, "Turismo", Strategic("0.1")))));
    }
}
