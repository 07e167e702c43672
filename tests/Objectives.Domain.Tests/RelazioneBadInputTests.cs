using System.Text;
using PerfPlatform.Objectives.Domain.Import;

namespace PerfPlatform.Objectives.Domain.Tests;

/// <summary>Inputs that must not import: each error names its line and the reason, and nothing is returned.</summary>
public class RelazioneBadInputTests
{
    private static ImportProblem Single(PlanImportException rejected)
    {
        Assert.Single(rejected.Errors);
        return rejected.Errors[0];
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t\t\n\r\n")]
    [InlineData("\uFEFF\n")]
    public void Rejects_an_empty_file(string text)
    {
        var error = Single(Relazione2023.Rejects(text));
        Assert.Contains("the file is empty", error.Message);
    }

    [Theory]
    [InlineData("Verbale della riunione del 12 marzo\nPresenti: tutti\n")]
    [InlineData("nome\tcognome\tetà\nMario\tRossi\t40\nLucia\tBianchi\t35\n")]
    public void Rejects_what_is_not_a_report(string text)
    {
        var error = Single(Relazione2023.Rejects(text));
        Assert.Contains("not a Relazione sulla Performance table", error.Message);
    }

    [Theory]
    [InlineData("130", "130 is out of range")]
    [InlineData("-5", "-5 is out of range")]
    [InlineData("12,345", "12,345 has more than two decimals")]
    [InlineData("abc", "\"abc\" is not a percentage")]
    [InlineData("n.d.", "\"n.d.\" is not a percentage")]
    public void Rejects_a_bad_percentage_naming_line_and_reason(string percentage, string reason)
    {
        var line = Relazione2023.LineOfCode("1.13");
        var rejected = Relazione2023.Rejects(Relazione2023.WithLine(line, l => l.Replace("\t96,67", "\t" + percentage)));
        var error = Single(rejected);
        Assert.Equal(line, error.Line);
        Assert.Contains("1.13", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Contains($"line {line}:", rejected.Message);
    }

    [Fact]
    public void Rejects_a_bad_mean()
    {
        var line = Relazione2023.LineOf("<b>99,52</b>");
        var error = Single(Relazione2023.Rejects(Relazione2023.WithLine(line, l => l.Replace("99,52", "130"))));
        Assert.Equal(line, error.Line);
        Assert.Contains("MEDIA of area 1", error.Message);
        Assert.Contains("out of range", error.Message);
    }

    [Fact]
    public void Rejects_a_duplicate_code_naming_both_lines()
    {
        var first = Relazione2023.LineOfCode("1.10");
        var second = Relazione2023.LineOfCode("1.11");
        var error = Single(Relazione2023.Rejects(Relazione2023.WithLine(second, l => l.Replace("\t1.11\t", "\t1.10\t"))));
        Assert.Equal(second, error.Line);
        Assert.Contains($"strategic objective 1.10 appears twice (lines {first} and {second})", error.Message);
    }

    [Fact]
    public void Reports_every_error_at_once()
    {
        var text = Relazione2023.Variant(lines =>
        {
            var percentage = Relazione2023.LineOfCode("1.13") - 1;
            lines[percentage] = lines[percentage].Replace("\t96,67", "\t130");
            var duplicate = Relazione2023.LineOfCode("2.3") - 1;
            lines[duplicate] = lines[duplicate].Replace("\t2.3\t", "\t2.2\t");
        });
        var rejected = Relazione2023.Rejects(text);
        Assert.Equal([Relazione2023.LineOfCode("1.13"), Relazione2023.LineOfCode("2.3")], rejected.Errors.Select(e => e.Line));
        Assert.Contains("130 is out of range", rejected.Message);
        Assert.Contains("2.2 appears twice", rejected.Message);
    }

    [Fact]
    public void Rejects_a_file_cut_in_the_middle_of_an_area()
    {
        var cutAfter = Relazione2023.LineOf("Tramareterra - Bacino di Acquatina");
        var text = Relazione2023.Join(Relazione2023.Lines().Take(cutAfter));
        var rejected = Relazione2023.Rejects(text);
        Assert.Equal(2, rejected.Errors.Count);
        Assert.All(rejected.Errors, e => Assert.Equal(cutAfter, e.Line));
        Assert.Contains($"truncated: area 10 (from line {Relazione2023.LineOf("Vocazioni e visioni")}) has no MEDIA row; the file ends at line {cutAfter}", rejected.Message);
        Assert.Contains($"truncated: no entity level row", rejected.Message);
    }

    [Fact]
    public void Rejects_a_file_cut_in_the_middle_of_a_line()
    {
        var row = Relazione2023.LineOfCode("10.2") - 1;
        var lines = Relazione2023.Lines().Take(row + 1).ToList();
        lines[row] = lines[row][..lines[row].IndexOf("Migrazione", StringComparison.Ordinal)];
        var rejected = Relazione2023.Rejects(Relazione2023.Join(lines));
        Assert.Contains($"line {row + 1}: truncated: area 10", rejected.Message);
    }

    [Fact]
    public void Rejects_a_file_without_the_entity_row()
    {
        var entity = Relazione2023.LineOf("LIVELLO MEDIO GENERALE");
        var error = Single(Relazione2023.Rejects(Relazione2023.Join(Relazione2023.Lines().Take(entity - 1)) + "\n\n"));
        Assert.Equal(entity - 1, error.Line);
        Assert.StartsWith("truncated: no entity level row", error.Message);
    }

    [Fact]
    public void Rejects_a_missing_mean_row_between_areas()
    {
        var mediaOfArea3 = Relazione2023.LineOfCode("3.5") + 1;
        var text = Relazione2023.Variant(lines => lines.RemoveAt(mediaOfArea3 - 1));
        var rejected = Relazione2023.Rejects(text);
        var turismo = Relazione2023.LineOf("<b>Turismo</b>") - 1; // one line up, the MEDIA row is gone
        Assert.Contains(rejected.Errors, e => e.Line == turismo && e.Message.Contains("area number 4") && e.Message.Contains("MEDIA row missing"));
    }

    [Fact]
    public void Rejects_an_input_over_the_size_limit_before_parsing()
    {
        var huge = new string('a', RelazioneTextParser.MaxInputBytes + 1);
        var error = Single(Relazione2023.Rejects(huge));
        Assert.Contains("RelazioneTextParser.MaxInputBytes", error.Message);
        Assert.Contains("10 MB", error.Message);

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(huge));
        var fromStream = Assert.Throws<PlanImportException>(() => RelazioneTextParser.Parse(stream));
        Assert.Contains("MaxInputBytes", fromStream.Message);
    }

    [Fact]
    public void Rejects_binary_content_naming_the_line()
    {
        var line = Relazione2023.LineOfCode("4.3");
        var error = Single(Relazione2023.Rejects(Relazione2023.WithLine(line, l => l.Insert(10, "\0"))));
        Assert.Equal(line, error.Line);
        Assert.Contains("binary content", error.Message);

        using var pdf = new MemoryStream([.. "%PDF-1.7\n%"u8, 0x00, 0xE2, 0xE3, 0xCF, 0xD3]);
        var fromStream = Assert.Throws<PlanImportException>(() => RelazioneTextParser.Parse(pdf));
        Assert.Equal(2, fromStream.Errors.Single().Line);
    }

    [Fact]
    public void Rejects_text_that_is_not_utf8()
    {
        var latin1 = Encoding.Latin1.GetBytes(Relazione2023.Text.Replace("’", "'").Replace("“", "\"").Replace("”", "\"").Replace("–", "-"));
        using var stream = new MemoryStream(latin1);
        var error = Assert.Throws<PlanImportException>(() => RelazioneTextParser.Parse(stream)).Errors.Single();
        Assert.Contains("not UTF-8", error.Message);
    }

    [Fact]
    public void Rejects_a_year_outside_the_mandate()
    {
        var rejected = Relazione2023.Rejects(Relazione2023.Text.Replace("ANNO 2023", "ANNO 2026").Replace("ENTE 2023", "ENTE 2026"));
        Assert.Contains("the year 2026 is outside the mandate 2019 - 2024", Single(rejected).Message);
    }

    [Fact]
    public void Rejects_a_report_without_headings()
    {
        var header = Relazione2023.LineOf("OBIETTIVI STRATEGICI 2019-2024");
        var text = Relazione2023.Join(Relazione2023.Lines().Skip(header - 1))
            .Replace("ENTE 2023", "ENTE").Replace("OBIETTIVI STRATEGICI 2019-2024", "OBIETTIVI STRATEGICI");
        var rejected = Relazione2023.Rejects(text);
        Assert.Contains("no entity name", rejected.Message);
        Assert.Contains("no mandate years", rejected.Message);
        Assert.Contains("no year", rejected.Message);
    }

    [Fact]
    public void Rejects_an_objective_without_title()
    {
        var line = Relazione2023.LineOfCode("2.3");
        var rejected = Relazione2023.Rejects(Relazione2023.WithLine(line, _ => "\t\t2.3\t\t100\t"));
        Assert.Contains(rejected.Errors, e => e.Line == line && e.Message.Contains("2.3 has no title"));
    }

    [Fact]
    public void Rejects_two_percentages_for_one_objective()
    {
        var line = Relazione2023.LineOfCode("2.2");
        var rejected = Relazione2023.Rejects(Relazione2023.WithLine(line + 1, l => l + "\t50"));
        var error = Single(rejected);
        Assert.Equal(line + 1, error.Line);
        Assert.Contains($"a second percentage (50) for 2.2: the first is on line {line}", error.Message);
    }
}
