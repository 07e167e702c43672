using System.Text;
using PerfPlatform.Objectives.Domain.Import;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Tests;

/// <summary>
/// The real file edited the way another year's or another converter's output differs: the parser must
/// follow the content, not the columns or the line numbers.
/// </summary>
public class RelazioneVariantTests
{
    private static readonly string Original = Relazione2023.Plan.Summarize();

    private static PlanDocument Parse(string text) => RelazioneTextParser.Parse(text).Plan;

    [Fact]
    public void Follows_a_changed_percentage()
    {
        var text = Relazione2023.WithLine(Relazione2023.LineOfCode("1.13"), line => line.Replace("\t96,67", "\t88,5"));
        var plan = Parse(text);
        Assert.Equal(88.5m, plan.Strategic("1.13").DeclaredRealization!.Value.Value);
        Assert.Equal(99.52m, plan.Area(1).DeclaredMean!.Value.Value); // declared values are kept as printed
    }

    [Fact]
    public void Follows_changed_means_and_entity_level()
    {
        var text = Relazione2023.Variant(lines =>
        {
            var mediaOfArea1 = Relazione2023.LineOf("<b>99,52</b>") - 1;
            lines[mediaOfArea1] = lines[mediaOfArea1].Replace("99,52", "97,10");
            var entity = Relazione2023.LineOf("LIVELLO MEDIO GENERALE") - 1;
            lines[entity] = lines[entity].Replace("99,39", "98");
        });
        var plan = Parse(text);
        Assert.Equal(97.10m, plan.Area(1).DeclaredMean!.Value.Value);
        Assert.Equal(98m, plan.DeclaredEntityLevel!.Value.Value);
    }

    [Fact]
    public void Follows_a_removed_strategic_objective()
    {
        var text = Relazione2023.Variant(lines => lines.RemoveAt(Relazione2023.LineOfCode("1.11") - 1));
        var plan = Parse(text);
        Assert.Equal(54, plan.Areas.Sum(a => a.StrategicObjectives.Count));
        Assert.DoesNotContain(plan.Area(1).StrategicObjectives, s => s.Code == "1.11");
        Assert.Equal(133, plan.AllOperational().Count());
    }

    [Fact]
    public void Follows_a_removed_operational_objective_row()
    {
        var text = Relazione2023.Variant(lines => lines.RemoveAt(Relazione2023.LineOf("Progetto Lecce Città che Legge") - 1));
        var plan = Parse(text);
        Assert.Equal(3, plan.Strategic("2.2").OperationalObjectives.Count);
        Assert.Equal(133, plan.AllOperational().Count());
    }

    [Fact]
    public void Follows_an_added_strategic_objective()
    {
        var text = Relazione2023.Variant(lines => lines.Insert(Relazione2023.LineOfCode("1.16"),
            "\t\t1.17\tNuovo obiettivo strategico di prova.\tBenessere Sociale: primo obiettivo operativo di prova\t75"
            + "\n\t\t\t\tBenessere Economico: secondo obiettivo operativo di prova\t\t"));
        var plan = Parse(text);
        var added = plan.Strategic("1.17");
        Assert.Equal(9, plan.Area(1).StrategicObjectives.Count);
        Assert.Equal("Nuovo obiettivo strategico di prova.", added.Title);
        Assert.Equal(75m, added.DeclaredRealization!.Value.Value);
        Assert.Equal(["Benessere Sociale: primo obiettivo operativo di prova", "Benessere Economico: secondo obiettivo operativo di prova"],
            added.OperationalObjectives.Select(o => o.Title));
        Assert.Equal(3, plan.Strategic("1.16").OperationalObjectives.Count);
        Assert.Equal(136, plan.AllOperational().Count());
    }

    [Fact]
    public void Follows_an_added_operational_objective_run_together_with_another()
    {
        var text = Relazione2023.WithLine(Relazione2023.LineOf("Benessere Ambientale: Piano del Verde"),
            line => line.Replace("Piano del Verde", "Piano del Verde Benessere Sociale ed Economico: Orti urbani"));
        var plan = Parse(text);
        Assert.Equal(["Benessere Ambientale: Piano del Verde", "Benessere Sociale ed Economico: Orti urbani"],
            plan.Strategic("6.6").OperationalObjectives.Select(o => o.Title));
    }

    [Fact]
    public void Follows_rows_shifted_right()
    {
        var header = Relazione2023.LineOf("OBIETTIVI STRATEGICI 2019-2024");
        var text = Relazione2023.Variant(lines =>
        {
            for (var i = header - 1; i < lines.Count; i++)
                if (lines[i].Length > 0)
                    lines[i] = "\t\t\t" + lines[i];
        });
        Assert.Equal(Original, Parse(text).Summarize());
    }

    [Fact]
    public void Follows_rows_shifted_by_different_amounts()
    {
        var header = Relazione2023.LineOf("OBIETTIVI STRATEGICI 2019-2024");
        var text = Relazione2023.Variant(lines =>
        {
            for (var i = header; i < lines.Count; i++)
                if (lines[i].Length > 0)
                    lines[i] = new string('\t', i % 4) + lines[i] + new string('\t', i % 3);
        });
        Assert.Equal(Original, Parse(text).Summarize());
    }

    [Fact]
    public void Follows_another_year()
    {
        var outcome = RelazioneTextParser.Parse(Relazione2023.Text.Replace("**ANNO 2023**", "**ANNO 2024**"));
        Assert.Equal(2024, outcome.Plan.Year);
        Assert.Contains(outcome.Warnings, w => w.Line == Relazione2023.LineOf("LIVELLO MEDIO GENERALE")
            && w.Message.Contains("says 2023") && w.Message.Contains("ANNO 2024"));

        var consistent = RelazioneTextParser.Parse(Relazione2023.Text.Replace("ANNO 2023", "ANNO 2024").Replace("ENTE 2023", "ENTE 2024"));
        Assert.Equal(2024, consistent.Plan.Year);
        Assert.DoesNotContain(consistent.Warnings, w => w.Message.Contains("ANNO"));
    }

    [Fact]
    public void Takes_the_year_from_the_entity_row_when_there_is_no_heading()
    {
        var plan = Parse(Relazione2023.Text.Replace("**ANNO 2023**", ""));
        Assert.Equal(2023, plan.Year);
    }

    [Fact]
    public void Takes_the_mandate_from_the_column_titles_when_there_is_no_heading()
    {
        var plan = Parse(Relazione2023.Text.Replace("## LINEE PROGRAMMATICHE DI MANDATO 2019 - 2024", ""));
        Assert.Equal((2019, 2024), (plan.MandateStartYear, plan.MandateEndYear));
    }

    [Fact]
    public void Follows_another_entity_and_mandate()
    {
        var plan = Parse(Relazione2023.Text.Replace("**Città di Lecce**", "**Comune di Brindisi**")
            .Replace("MANDATO 2019 - 2024", "MANDATO 2020 - 2025"));
        Assert.Equal("Comune di Brindisi", plan.EntityName);
        Assert.Equal((2020, 2025), (plan.MandateStartYear, plan.MandateEndYear));
    }

    [Fact]
    public void Follows_area_names_moved_after_their_objectives()
    {
        var text = Relazione2023.Variant(lines =>
        {
            MoveAreaAfterItsObjectives(lines, "<b>Turismo</b>\t4\t", "<b>Turismo</b>\t4", Relazione2023.LineOfCode("4.8") - 1);
            // Number before name this time, on a row of its own after 1.16.
            var first = Relazione2023.LineOf("Cittadinanza Attiva Innovazione") - 1;
            MoveAreaAfterItsObjectives(lines, lines[first][..(lines[first].IndexOf("\t1.1\t", StringComparison.Ordinal) + 1)],
                "1\tCittadinanza Attiva Innovazione e semplificazione amministrativa Società Partecipate e Bilancio",
                Relazione2023.LineOfCode("1.16") - 1);
        });
        Assert.Equal(Original, Parse(text).Summarize());
    }

    [Fact]
    public void Follows_the_number_before_the_name_on_a_code_row()
    {
        var text = Relazione2023.WithLine(Relazione2023.LineOf("<b>Turismo</b>\t4\t"), line => line.Replace("<b>Turismo</b>\t4\t", "4\t<b>Turismo</b>\t"));
        Assert.Equal(Original, Parse(text).Summarize());
    }

    [Fact]
    public void Follows_a_percentage_printed_on_a_later_row()
    {
        var text = Relazione2023.Variant(lines =>
        {
            var code = Relazione2023.LineOfCode("2.2") - 1;
            lines[code] = lines[code].Replace("\t100\t", "\t\t");
            lines[code + 1] = lines[code + 1].TrimEnd('\t') + "\t100";
        });
        Assert.Equal(Original, Parse(text).Summarize());
    }

    [Fact]
    public void Follows_other_line_endings_and_a_stream_with_a_bom()
    {
        Assert.Equal(Original, Parse(Relazione2023.Text.Replace("\n", "\r\n")).Summarize());
        Assert.Equal(Original, Parse(Relazione2023.Text.Replace("\n", "\r")).Summarize());

        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Relazione2023.Text)).ToArray();
        Assert.Equal(Original, Parse(Encoding.UTF8.GetString(bytes)).Summarize());
        using var stream = new MemoryStream(bytes);
        Assert.Equal(Original, RelazioneTextParser.Parse(stream).Plan.Summarize());
    }

    [Fact]
    public void Keeps_angle_brackets_that_are_no_html()
    {
        var text = Relazione2023.WithLine(Relazione2023.LineOf("Benessere Ambientale: Piano del Verde"),
            line => line.Replace("Piano del Verde", "Piano del Verde <bozza> a > b"));
        Assert.Equal("Benessere Ambientale: Piano del Verde <bozza> a > b", Parse(text).Strategic("6.6").OperationalObjectives.Single().Title);
    }

    [Fact]
    public void Decodes_html_entities()
    {
        var text = Relazione2023.WithLine(Relazione2023.LineOf("park & ride"), line => line.Replace("park & ride", "park&nbsp;&amp;&nbsp;ride"));
        Assert.Equal(Original, Parse(text).Summarize());
    }

    [Fact]
    public void Joins_operational_objectives_given_as_a_list()
    {
        var text = Relazione2023.WithLine(Relazione2023.LineOf("Benessere Ambientale: Piano del Verde"), line => line.Replace(
            "Benessere Ambientale: Piano del Verde",
            "<p>Benessere Ambientale: Piano del Verde articolato in:</p><ul><li>censimento</li><li>manutenzione</li></ul><p>Benessere Sociale: orti urbani</p>"));
        Assert.Equal(["Benessere Ambientale: Piano del Verde articolato in: censimento; manutenzione", "Benessere Sociale: orti urbani"],
            Parse(text).Strategic("6.6").OperationalObjectives.Select(o => o.Title));
    }

    [Fact]
    public void Warns_about_a_code_listed_under_another_area()
    {
        var outcome = RelazioneTextParser.Parse(Relazione2023.Text.Replace("\t\t2.3\t", "\t\t7.9\t"));
        var line = Relazione2023.LineOfCode("2.3");
        Assert.Contains(outcome.Warnings, w => w.Line == line && w.Message.Contains("7.9 is listed under area 2"));
    }

    [Fact]
    public void Warns_about_a_strategic_objective_with_neither_percentage_nor_objectives()
    {
        var line = Relazione2023.LineOfCode("9.1");
        var outcome = RelazioneTextParser.Parse(Relazione2023.WithLine(line, l => l.Replace("\t/\t", "\t\t")));
        Assert.Contains(outcome.Warnings, w => w.Line == line && w.Message.Contains("9.1 has neither a percentage nor operational objectives"));
        Assert.Null(outcome.Plan.Strategic("9.1").DeclaredRealization);
    }

    [Fact]
    public void Warns_about_a_strategic_objective_without_percentage()
    {
        var line = Relazione2023.LineOfCode("6.6");
        var outcome = RelazioneTextParser.Parse(Relazione2023.WithLine(line, l => l.Replace("\t100", "")));
        Assert.Contains(outcome.Warnings, w => w.Line == line && w.Message.Contains("6.6 has no percentage"));
    }

    /// <summary>Cuts the area cells from the area's first row and puts them on a row of their own after <paramref name="lastObjectiveIndex"/>.</summary>
    private static void MoveAreaAfterItsObjectives(List<string> lines, string cells, string ownRow, int lastObjectiveIndex)
    {
        var first = lines.FindIndex(l => l.StartsWith(cells, StringComparison.Ordinal));
        lines[first] = "\t\t" + lines[first][cells.Length..];
        lines.Insert(lastObjectiveIndex + 1, ownRow);
    }
}
