using System.Text;
using MiniExcelLibs;
using static PerfPlatform.Objectives.Spreadsheets.Tests.Csv;

namespace PerfPlatform.Objectives.Spreadsheets.Tests;

public class ValidationTests
{
    /// <summary>A row placed after <see cref="Csv.Start"/> (so on line 5), and the column and reason its error names.</summary>
    public static TheoryData<string, string, string> BadRows { get; } = new()
    {
        { Row("XY", titolo: "Qualcosa"), "tipo", "\"XY\" is not a row type" },
        { Row("", titolo: "Qualcosa"), "tipo", "is empty" },
        { Row("OS", area: "2", codice: "2.1", titolo: "Turismo"), "area", "OS 2.1 is in area 2, which has no AREA row" },
        { Row("IND", titolo: "Pratiche", direzione: "aumento"), "tipo", "IND before any OO" },
        { Row("OS", area: "1", codice: "1.2"), "titolo", "is empty" },
        { Row("OS", area: "1", titolo: "Senza codice"), "codice", "is empty" },
        { Row("OS", codice: "1.2", titolo: "Senza area"), "area", "is empty" },
        { Row("OS", area: "uno", codice: "1.2", titolo: "Area in lettere"), "area", "\"uno\" is not a whole number" },
        { Row("OS", area: "1", codice: "1.2", titolo: "Troppo", dichiarato: "130"), "dichiarato", "130 is out of range: a percentage is between 0 and 100" },
        { Row("OO", codice: "1.1", titolo: "Peso zero", peso: "0"), "peso", "\"0\" is not a positive number" },
        { Row("OO", codice: "1.1", titolo: "Peso negativo", peso: "-1"), "peso", "\"-1\" is not a positive number" },
        { Row("OO", codice: "1.1", titolo: "Peso in lettere", peso: "abc"), "peso", "\"abc\" is not a number" },
        { Row("OO", codice: "1.1", titolo: "Valore in lettere", valore: "abc"), "valore", "\"abc\" is not a percentage" },
        { Row("OO", codice: "1.1", titolo: "Valore troppo alto", valore: "130"), "valore", "130 is out of range: a percentage is between 0 and 100" },
        { Row("OO", codice: "1.1", titolo: "Tre decimali", valore: "96,667"), "valore", "more than two decimals" },
        { Row("OO", codice: "1.1"), "titolo", "is empty" },
        { Row("OO", codice: "7.7", titolo: "Orfano"), "codice", "there is no OS 7.7 above this row" },
        { Row("ENTE", anno: "2024", mandato: "2019-2024", titolo: "Altro ente"), "tipo", "a second ENTE row (the first is on line 2)" },
        { Row("AREA", area: "1", titolo: "Ancora Governance"), "area", "area 1 is already on line 3" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void A_bad_row_gives_an_error_naming_its_line_and_column(string row, string column, string reason)
    {
        var error = Assert.Single(Errors(File([.. Start, row])));

        Assert.Equal(5, error.Line);
        Assert.StartsWith($"line 5: column '{column}': ", error.ToString());
        Assert.Contains(reason, error.Message);
    }

    public static TheoryData<string, string, string> BadIndicators { get; } = new()
    {
        { Row("IND", baseline: "1", direzione: "aumento"), "titolo", "is empty" },
        { Row("IND", titolo: "Tempo", target: "quindici", direzione: "diminuzione"), "target", "\"quindici\" is not a number" },
        { Row("IND", titolo: "Tempo", target: "15"), "direzione", "is empty (write aumento, diminuzione, obiettivo)" },
        { Row("IND", titolo: "Tempo", target: "15", direzione: "giù"), "direzione", "\"giù\" is not a direction" },
    };

    [Theory]
    [MemberData(nameof(BadIndicators))]
    public void A_bad_indicator_gives_an_error_naming_its_line_and_column(string row, string column, string reason)
    {
        var error = Assert.Single(Errors(File([.. Start, Row("OO", codice: "1.1", titolo: "Obiettivo"), row])));

        Assert.StartsWith($"line 6: column '{column}': ", error.ToString());
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_duplicate_os_code_names_the_code_and_both_lines()
    {
        var error = Assert.Single(Errors(File([.. Start, Row("OS", area: "1", codice: "1.1", titolo: "Di nuovo 1.1")])));

        Assert.Equal("line 5: column 'codice': OS 1.1 is already on line 4", error.ToString());
    }

    [Fact]
    public void An_oo_before_any_os_is_an_error()
    {
        var error = Assert.Single(Errors(File(Start[0], Start[1], Start[2], Row("OO", titolo: "Senza OS"))));

        Assert.StartsWith("line 4: column 'codice': OO before any OS", error.ToString());
    }

    [Fact]
    public void Every_problem_is_listed_at_once_in_line_order()
    {
        var errors = Errors(File([.. Start,
            Row("OO", codice: "1.1", titolo: "Valore troppo alto", valore: "130"),
            Row("XY"),
            Row("OO", codice: "1.1", titolo: "Peso zero", peso: "0", valore: "abc")]));

        Assert.Equal(
        [
            "line 5: column 'valore': 130 is out of range: a percentage is between 0 and 100",
            "line 6: column 'tipo': \"XY\" is not a row type (write ENTE, AREA, OS, OO or IND)",
            "line 7: column 'peso': \"0\" is not a positive number: a weight is greater than 0",
            "line 7: column 'valore': \"abc\" is not a percentage (write a number from 0 to 100, or \"/\" for not assessed)",
        ], errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("\r\n;;;\r\n\r\n")]
    public void An_empty_file_is_an_error(string text)
    {
        var error = Assert.Single(Errors(text));

        Assert.Contains("the file is empty", error.Message);
    }

    [Fact]
    public void A_file_without_the_header_is_an_error()
    {
        var error = Assert.Single(Errors(File(Start[1..])));

        Assert.Equal(1, error.Line);
        Assert.Contains("no header: the first row must name the columns", error.Message);
    }

    [Fact]
    public void A_header_without_a_required_column_is_an_error()
    {
        var error = Assert.Single(Errors(File("tipo;anno;mandato;area;titolo", "ENTE;2023;2019-2024;;Città di Lecce")));

        Assert.Equal("line 1: column 'codice' is missing from the header", error.ToString());
    }

    [Fact]
    public void A_plan_without_an_ente_row_is_an_error()
    {
        var error = Assert.Single(Errors(File(Start[0], Start[2], Start[3])));

        Assert.Equal(0, error.Line);
        Assert.Contains("no ENTE row", error.Message);
    }

    [Theory]
    [InlineData("duemila", "2019-2024", "anno", "\"duemila\" is not a whole number")]
    [InlineData("2023", "2019", "mandato", "\"2019\" is not a term of office (write the years as 2019-2024)")]
    [InlineData("2023", "2024-2019", "mandato", "ends before it starts")]
    [InlineData("2023", "", "mandato", "is empty")]
    public void A_bad_ente_row_is_an_error(string anno, string mandato, string column, string reason)
    {
        var error = Assert.Single(Errors(File(Header, Row("ENTE", anno: anno, mandato: mandato, titolo: "Città di Lecce"))));

        Assert.StartsWith($"line 2: column '{column}': ", error.ToString());
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Unpaired_quotes_are_an_error_on_their_line()
    {
        var error = Assert.Single(Errors(File([.. Start, "OO;;;;1.1;\"Titolo\" a metà;;;;;;;;;;"])));

        Assert.Equal(5, error.Line);
        Assert.Contains("quotes do not pair up", error.Message);
    }

    [Fact]
    public void Unpaired_quotes_do_not_hide_the_other_problems()
    {
        var errors = Errors(File([.. Start, "OO;;;;1.1;\"Titolo\" a metà;;;;;;;;;;", Row("XY")]));

        Assert.Equal([5, 6], errors.Select(e => e.Line));
    }

    [Fact]
    public void Lines_are_counted_as_in_the_file_even_after_a_cell_that_spans_two_lines_and_a_blank_line()
    {
        var errors = Errors(File(Header,
            Row("ENTE", anno: "2023", mandato: "2019-2024", titolo: "Città di Lecce"),
            Row("AREA", area: "9", titolo: "Commercio*", nota: "\"* Obiettivi raggiunti\nnegli anni precedenti\""),
            "",
            Row("OS", area: "9", codice: "9.1", titolo: "Commercio", dichiarato: "abc")));

        Assert.Equal(6, Assert.Single(errors).Line);
    }

    [Fact]
    public void Xlsx_errors_name_the_sheet_row()
    {
        var rows = new[] { Start[1], Start[2], Start[3], Row("OO", codice: "1.1", titolo: "Troppo", valore: "130") }
            .Select(line => Csv.Header.Split(';').Zip(line.Split(';')).ToDictionary(p => p.First, p => (object)p.Second));
        using var workbook = new MemoryStream();
        workbook.SaveAs(rows, sheetName: "piano");

        var error = Assert.Single(Assert.Throws<Domain.Import.PlanImportException>(
            () => PlanSpreadsheet.ImportXlsx(new MemoryStream(workbook.ToArray()))).Errors);

        Assert.StartsWith("line 5: column 'valore': 130 is out of range", error.ToString());
    }

    [Fact]
    public void A_file_that_is_not_a_workbook_is_an_error()
    {
        var error = Assert.Single(Assert.Throws<Domain.Import.PlanImportException>(
            () => PlanSpreadsheet.ImportXlsx(new MemoryStream(Encoding.UTF8.GetBytes(File(Start))))).Errors);

        Assert.Contains("not an XLSX workbook", error.Message);
    }
}
