using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Tests;

/// <summary>The input rules through the Relazione text importer: each bad value refused with its line or code, nothing returned.</summary>
public class RelazioneInputRuleTests
{
    private static string EditCell(string code, Func<string, int, string> edit) =>
        Relazione2023.WithLine(Relazione2023.LineOfCode(code),
            line => string.Join('\t', line.Split('\t').Select((cell, i) => edit(cell, i))));

    [Fact]
    public void A_21_character_code_is_refused_at_its_line()
    {
        var line = Relazione2023.LineOfCode("1.13");
        var rejected = Relazione2023.Rejects(EditCell("1.13", (cell, _) => cell == "1.13" ? InputRuleTests.TwentyOneCharacterCode : cell));

        var error = Assert.Single(rejected.Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains("strategic objective code: \"1.1234567890123456789\" is 21 characters long", error.Message);
    }

    [Theory]
    [InlineData("98,041", "98,041 has more than two decimals")]
    [InlineData("130", "130 is out of range")]
    [InlineData("-1", "-1 is out of range")]
    public void A_bad_percentage_is_refused_at_its_line(string percentage, string reason)
    {
        var line = Relazione2023.LineOfCode("1.13");
        var rejected = Relazione2023.Rejects(Relazione2023.WithLine(line, l => l.Replace("\t96,67", "\t" + percentage)));

        var error = Assert.Single(rejected.Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains("the percentage of 1.13", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_title_longer_than_kept_is_refused_naming_the_objective()
    {
        var title = "Semplificare " + new string('x', PlanText.Title);
        var rejected = Relazione2023.Rejects(EditCell("1.13", (cell, _) => cell.StartsWith("Semplificare l'accesso") ? title : cell));

        var error = Assert.Single(rejected.Errors);
        Assert.Equal($"strategic objective 1.13: the title is {title.Length} characters long; at most {PlanText.Title} are kept", error.Message);
    }

    [Fact]
    public void Year_0_is_refused_by_name()
    {
        var rejected = Relazione2023.Rejects(Relazione2023.Text.Replace("**ANNO 2023**", "**ANNO 0000**"));

        var error = Assert.Single(rejected.Errors);
        Assert.StartsWith("the year: 0 is not a plan year", error.Message);
    }

    [Fact]
    public void A_year_outside_the_mandate_is_refused()
    {
        var rejected = Relazione2023.Rejects(Relazione2023.Text.Replace("**ANNO 2023**", "**ANNO 2030**"));

        Assert.Equal("the year 2030 is outside the mandate 2019 - 2024", Assert.Single(rejected.Errors).Message);
    }

    [Fact]
    public void A_code_with_its_trailing_dot_is_stored_as_the_code()
    {
        Assert.Contains(Relazione2023.Plan.Areas.SelectMany(a => a.StrategicObjectives), s => s.Code == "8.1");
        Assert.All(Relazione2023.Plan.Areas.SelectMany(a => a.StrategicObjectives),
            s => Assert.True(StrategicCode.TryParse(s.Code, out var c, out _) && c.Value == s.Code));
    }
}
