using System.Globalization;
using System.Text;
using MiniExcelLibs;
using PerfPlatform.Objectives.Domain.Import;
using PerfPlatform.Objectives.Domain.Plan;
using static PerfPlatform.Objectives.Spreadsheets.Tests.Csv;

namespace PerfPlatform.Objectives.Spreadsheets.Tests;

/// <summary>
/// The plan's input rules (the domain's value types) through the CSV and XLSX readers, which also apply PlanValidator:
/// each bad value is refused with its line and column and the reason, and no plan comes out.
/// </summary>
public class InputRuleTests
{
    private const string Code21 = "1.1234567890123456789";
    private static readonly string LongTitle = new('x', PlanText.Title + 1);

    /// <summary>A row after <see cref="Csv.Start"/> (line 5), and the column and reason of its only error.</summary>
    public static TheoryData<string, string, string> BadValues { get; } = new()
    {
        { Row("OS", area: "1", codice: Code21, titolo: "Codice lungo"), "codice", "\"1.1234567890123456789\" is 21 characters long" },
        { Row("OO", codice: Code21, titolo: "Sotto un codice lungo"), "codice", "is 21 characters long" },
        { Row("OO", codice: "1.1", titolo: "Peso minuscolo", peso: "0,00001"), "peso", "has more than four decimals" },
        { Row("OO", codice: "1.1", titolo: "Peso enorme", peso: "1001"), "peso", "a weight is at most 1000" },
        { Row("OO", codice: "1.1", titolo: "Tre decimali", valore: "98,041"), "valore", "98,041 has more than two decimals" },
        { Row("OO", codice: "1.1", titolo: "Troppo", valore: "130"), "valore", "130 is out of range" },
        { Row("OO", codice: "1.1", titolo: "Negativo", valore: "-1"), "valore", "-1 is out of range" },
        { Row("OO", codice: "1.1", titolo: LongTitle), "titolo", $"is {PlanText.Title + 1} characters long; at most {PlanText.Title} are kept" },
        { Row("OS", area: "1", codice: "1.2", titolo: LongTitle), "titolo", "characters long" },
        { Row("AREA", area: "2", titolo: new string('a', PlanText.AreaName + 1)), "titolo", "characters long" },
        { Row("OO", codice: "1.1", titolo: "Settore lungo", settori: new string('s', PlanText.Sector + 1)), "settori", "characters long" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Csv_refuses_each_bad_value_naming_line_and_column(string row, string column, string reason)
    {
        var error = Assert.Single(Errors(File([.. Start, row])));

        Assert.Equal(5, error.Line);
        Assert.StartsWith($"line 5: column '{column}': ", error.ToString());
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Xlsx_refuses_each_bad_value_naming_line_and_column(string row, string column, string reason)
    {
        var error = Assert.Single(XlsxErrors([.. Start, row]));

        Assert.Equal(5, error.Line);
        Assert.StartsWith($"line 5: column '{column}': ", error.ToString());
        // Number cells are doubles in XLSX: the figure is quoted as the number, the reason is the same.
        Assert.Contains(reason.Replace("98,041", "98.041"), error.Message);
    }

    [Theory]
    [InlineData("0", "0 is not a plan year: write a year from 1990 to 2100")]
    [InlineData("2030", "the year 2030 is outside the mandate 2019 - 2024")]
    public void A_year_of_0_or_outside_the_mandate_is_refused_at_the_ente_row(string anno, string reason)
    {
        var lines = Start.ToArray();
        lines[1] = Row("ENTE", anno: anno, mandato: "2019-2024", titolo: "Città di Lecce");

        Assert.Equal($"line 2: column 'anno': {reason}", Assert.Single(Errors(File(lines))).ToString());
        Assert.Equal($"line 2: column 'anno': {reason}", Assert.Single(XlsxErrors(lines)).ToString());
    }

    [Fact]
    public void A_code_with_a_trailing_dot_is_the_code()
    {
        var plan = Import(File(Header, Start[1], Start[2], Row("OS", area: "1", codice: "1.1.", titolo: "Trasparenza"),
            Row("OO", codice: "1.1.", titolo: "Benessere Sociale: sotto"))).Plan;

        var strategic = Assert.Single(plan.Areas[0].StrategicObjectives);
        Assert.Equal("1.1", strategic.Code);
        Assert.Single(strategic.OperationalObjectives);
    }

    [Fact]
    public void An_xlsx_number_a_rounding_error_from_two_decimals_is_that_value()
    {
        var rows = Sheet([.. Start, Row("OO", codice: "1.1", titolo: "Benessere Sociale: calcolato", valore: "98,04")]);
        rows[^1]["valore"] = 90 + 8.04; // 98.03999999999999, as a city system computes it

        var outcome = PlanSpreadsheet.ImportXlsx(Workbook(rows));

        Assert.Equal(Realization.Of(98.04m), outcome.Plan.Areas[0].StrategicObjectives[0].OperationalObjectives[0].Realization);
    }

    [Theory]
    [InlineData(0.1 + 0.2, 0.3)]
    [InlineData(2.00000000001, 2)]
    public void An_xlsx_weight_a_rounding_error_from_four_decimals_is_that_value(double cell, double expected)
    {
        var rows = Sheet([.. Start, Row("OO", codice: "1.1", titolo: "Benessere Sociale: pesato", peso: "1")]);
        rows[^1]["peso"] = cell;

        var outcome = PlanSpreadsheet.ImportXlsx(Workbook(rows));

        Assert.Equal((decimal)expected, outcome.Plan.Areas[0].StrategicObjectives[0].OperationalObjectives[0].Weight);
    }

    private static IReadOnlyList<ImportProblem> XlsxErrors(string[] lines) =>
        Assert.Throws<PlanImportException>(() => PlanSpreadsheet.ImportXlsx(Workbook(Sheet(lines)))).Errors;

    /// <summary>The CSV lines as sheet rows (header excluded): numbers as number cells, the rest as text, as Excel keeps them.</summary>
    private static List<Dictionary<string, object>> Sheet(string[] lines) =>
        lines.Skip(1).Select(line => Header.Split(';').Zip(line.Split(';')).ToDictionary(p => p.First, p => Cell(p.First, p.Second))).ToList();

    private static object Cell(string column, string text) =>
        column is "anno" or "area" or "peso" or "valore" or "dichiarato"
        && double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : text;

    private static MemoryStream Workbook(List<Dictionary<string, object>> rows)
    {
        var workbook = new MemoryStream();
        workbook.SaveAs(rows, sheetName: "piano");
        return new MemoryStream(workbook.ToArray());
    }
}

/// <summary>CSV formula injection: the export neutralises text cells a spreadsheet would run; the import gives them back.</summary>
public class FormulaInjectionTests
{
    private static readonly string[] Risky =
        ["=HYPERLINK(\"http://example.invalid\",\"clic\")", "+39 0832 682111", "-meno traffico in centro", "@SUM(A1:A9)", "'=già citato", "\t=tab"];

    private static PlanDocument PlanWithTitles() => new("=Città di Lecce", 2019, 2024, 2023,
    [
        new AreaDraft(1, "@Governance", "-nota", null,
        [
            new StrategicObjectiveDraft("1.1", "+Trasparenza", null,
                Risky.Select(t => OperationalObjectiveDraft.FromText(t) with
                {
                    Sectors = ["=Settore"],
                    Indicators = [new IndicatorDraft("-Tempo", -5m, -10m, null, "=giorni", IndicatorDirection.Decrease)],
                }).ToList()),
        ]),
    ], null);

    [Fact]
    public void No_text_cell_of_the_csv_export_begins_with_a_formula_trigger()
    {
        var csv = Encoding.UTF8.GetString(PlanSpreadsheet.ExportCsv(PlanWithTitles()));

        var cells = csv.Split(["\r\n", "\n"], StringSplitOptions.None).SelectMany(line => line.Split(';')).Select(c => c.Trim('"')).ToList();
        Assert.Contains("'=HYPERLINK(\"\"http://example.invalid\"\",\"\"clic\"\")", cells);
        Assert.Contains("'+39 0832 682111", cells);
        Assert.Contains("'-meno traffico in centro", cells);
        Assert.Contains("'@SUM(A1:A9)", cells);
        Assert.Contains("''=già citato", cells);
        Assert.Contains("'=Città di Lecce", cells);
        Assert.Contains("'=Settore", cells);
        Assert.Contains("-5", cells); // a number stays a number
        Assert.DoesNotContain(cells, c => c.Length > 0 && "=+@".Contains(c[0]));
        Assert.DoesNotContain(cells, c => c.StartsWith('-') && !decimal.TryParse(c, NumberStyles.Number, CultureInfo.GetCultureInfo("it-IT"), out _));
    }

    [Fact]
    public void The_csv_import_gives_the_titles_back_as_typed()
    {
        var plan = PlanSpreadsheet.ImportCsv(new MemoryStream(PlanSpreadsheet.ExportCsv(PlanWithTitles()))).Plan;

        Assert.Equal("=Città di Lecce", plan.EntityName);
        Assert.Equal(("@Governance", "-nota"), (plan.Areas[0].Name, plan.Areas[0].Footnote));
        Assert.Equal("+Trasparenza", plan.Areas[0].StrategicObjectives[0].Title);
        var operational = plan.Areas[0].StrategicObjectives[0].OperationalObjectives;
        Assert.Equal(Risky.Select(t => t.Trim()), operational.Select(o => o.Title));
        Assert.All(operational, o => Assert.Equal(["=Settore"], o.Sectors));
        Assert.All(operational, o => Assert.Equal(("-Tempo", -5m, "=giorni"), (o.Indicators[0].Name, o.Indicators[0].Baseline!.Value, o.Indicators[0].Unit)));
    }

    [Fact]
    public void A_quote_that_guards_nothing_is_kept()
    {
        var plan = Import(File(Header, Row("ENTE", anno: "2023", mandato: "2019-2024", titolo: "'Città' di Lecce"), Start[2], Start[3],
            Row("OO", titolo: "'Benessere' Sociale: citazione"))).Plan;

        Assert.Equal("'Città' di Lecce", plan.EntityName);
        Assert.Equal("'Benessere' Sociale: citazione", plan.Areas[0].StrategicObjectives[0].OperationalObjectives[0].Title);
    }
}
