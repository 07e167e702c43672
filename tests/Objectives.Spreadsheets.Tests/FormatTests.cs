using System.Text;
using MiniExcelLibs;

namespace PerfPlatform.Objectives.Spreadsheets.Tests;

public class FormatTests
{
    private static string ExportedCsv() => Encoding.UTF8.GetString(PlanSpreadsheet.ExportCsv(SamplePlan.Lecce2023));

    [Fact]
    public void Csv_starts_with_the_utf8_byte_order_mark_that_tells_excel_the_encoding()
    {
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, PlanSpreadsheet.ExportCsv(SamplePlan.Lecce2023)[..3]);
    }

    [Fact]
    public void Csv_has_the_italian_header_separated_by_semicolons()
    {
        var header = ExportedCsv().TrimStart('\uFEFF').Split("\r\n")[0];

        Assert.Equal("tipo;anno;mandato;area;codice;titolo;nota;peso;valore;dichiarato;settori;baseline;target;effettivo;unità;direzione", header);
    }

    [Fact]
    public void Csv_writes_figures_with_a_decimal_comma()
    {
        var lines = ExportedCsv().Split("\r\n");

        // MiniExcel also quotes text holding a space: more quotes than needed, read the same by Excel.
        Assert.Contains("ENTE;2023;2019-2024;;;\"Città di Lecce\";;;;99,39;;;;;;", lines);
        Assert.Contains("OS;;;1;1.13;\"Semplificare l'accesso ai servizi comunali\";;;;96,67;;;;;;", lines);
        Assert.Contains(lines, line => line.StartsWith("OO;;;;1.13;\"Benessere Istituzionale: attivazione PagoPA")
            && line.EndsWith(";2,5;96,67;;\"SUAP | Servizi finanziari\";;;;;"));
        Assert.Contains("IND;;;;;\"Sportelli aperti\";;;;;;;1234567,891;;;obiettivo", lines);
    }

    [Fact]
    public void Csv_quotes_cells_holding_a_semicolon_a_quote_or_a_line_break()
    {
        var csv = ExportedCsv();

        Assert.Contains("AREA;;;1;;\"Governance, partecipazione; \"\"città aperta\"\"\";;;;99,52;", csv);
        Assert.Contains("\"* Obiettivi raggiunti in parte negli anni precedenti;\nnon valutati nel 2023.\"", csv);
    }

    [Fact]
    public void Xlsx_stores_figures_as_numbers_and_codes_as_text()
    {
        var rows = new MemoryStream(PlanSpreadsheet.ExportXlsx(SamplePlan.Lecce2023))
            .Query(useHeaderRow: true, sheetName: "piano")
            .Cast<IDictionary<string, object?>>()
            .ToList();

        var pagoPa = rows.Single(r => r["tipo"] as string == "OO" && (r["titolo"] as string)!.Contains("PagoPA"));
        Assert.Equal(96.67, pagoPa["valore"]);
        Assert.Equal(2.5, pagoPa["peso"]);
        Assert.Equal("1.13", pagoPa["codice"]);
        Assert.Equal("SUAP | Servizi finanziari", pagoPa["settori"]);
        var indicator = rows.Single(r => r["titolo"] as string == "Tempo medio di rilascio");
        Assert.Equal(30.0, indicator["baseline"]);
        Assert.Equal(12.5, indicator["effettivo"]);
        Assert.Equal("diminuzione", indicator["direzione"]);
        var ente = rows.Single(r => r["tipo"] as string == "ENTE");
        Assert.Equal(2023.0, ente["anno"]);
        Assert.Equal(99.39, ente["dichiarato"]);
        var commercio = rows.Single(r => r["tipo"] as string == "AREA" && r["area"] is 9.0);
        Assert.Equal("/", commercio["dichiarato"]);
    }
}
