using System.Text;
using MiniExcelLibs;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Spreadsheets.Tests;

public class HandWrittenTests
{
    /// <summary>
    /// As a person types it in Italian Excel: capitalised headers, rows cut short where the trailing cells are
    /// empty, lower-case tipo, "%" signs, the weight left out, OO rows without their code under their OS, an
    /// AREA row after its objectives, a blank line, a quoted title with a semicolon.
    /// </summary>
    private const string Typed = """
        Tipo;Anno;Mandato;Area;Codice;Titolo;Nota;Peso;Valore;Dichiarato;Settori;Baseline;Target;Effettivo;Unità;Direzione
        ENTE;2023;2019 - 2024;;;Città di Lecce;;;;99,39
        OS;;;1;1.13;Semplificare l'accesso ai servizi comunali;;;;96,67
        oo;;;;;Benessere Istituzionale: attivazione PagoPA per le pratiche SUAP;;;96,67%;;SUAP|Tributi
        ind;;;;;Pratiche pagate con PagoPA;;;;;;0;100;96,67;%;Aumento
        OO;;;;;"OB. TRASV. Trasparenza; accesso civico";;2;100
        AREA;;;1;;Governance;;;;99,52

        AREA;;;9;;Commercio*;* Obiettivi raggiunti negli anni precedenti;;;/
        OS;;;9;9.2;Commercio di prossimità;;;;/
        OO;;;;9.2;Mercati rionali;;;/
        """;

    [Fact]
    public void A_csv_typed_by_hand_imports()
    {
        var outcome = PlanSpreadsheet.ImportCsv(new MemoryStream(Encoding.UTF8.GetBytes(Typed)));
        var plan = outcome.Plan;

        Assert.Empty(outcome.Warnings);
        Assert.Equal(("Città di Lecce", 2023, 2019, 2024), (plan.EntityName, plan.Year, plan.MandateStartYear, plan.MandateEndYear));
        Assert.Equal(Realization.Of(99.39m), plan.DeclaredEntityLevel);
        Assert.Equal([1, 9], plan.Areas.Select(a => a.Number));

        var governance = plan.Areas[0];
        Assert.Equal(Realization.Of(99.52m), governance.DeclaredMean);
        var pagoPa = governance.StrategicObjectives.Single().OperationalObjectives[0];
        Assert.Equal(1m, pagoPa.Weight);
        Assert.Equal(Realization.Of(96.67m), pagoPa.Realization);
        Assert.Equal(["SUAP", "Tributi"], pagoPa.Sectors);
        Assert.Equal(BesDimension.Istituzionale, pagoPa.Labels.Bes);
        Assert.Equal(new IndicatorDraft("Pratiche pagate con PagoPA", 0m, 100m, 96.67m, "%", IndicatorDirection.Increase), pagoPa.Indicators.Single());
        var transparency = governance.StrategicObjectives.Single().OperationalObjectives[1];
        Assert.Equal("OB. TRASV. Trasparenza; accesso civico", transparency.Title);
        Assert.Equal((2m, Realization.Of(100m)), (transparency.Weight, transparency.Realization));
        Assert.True(transparency.Labels.CrossCutting);

        var commercio = plan.Areas[1];
        Assert.Equal("* Obiettivi raggiunti negli anni precedenti", commercio.Footnote);
        Assert.Equal(Realization.NotAssessed, commercio.DeclaredMean);
        Assert.Equal(Realization.NotAssessed, commercio.StrategicObjectives.Single().OperationalObjectives.Single().Realization);
    }

    [Fact]
    public void A_csv_saved_by_excel_in_windows_1252_imports_with_a_warning()
    {
        var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

        var outcome = PlanSpreadsheet.ImportCsv(new MemoryStream(windows1252.GetBytes(Typed)));

        Assert.Equal("Città di Lecce", outcome.Plan.EntityName);
        Assert.Contains("not UTF-8", Assert.Single(outcome.Warnings).Message);
    }

    [Fact]
    public void A_cell_the_row_does_not_use_is_ignored_with_a_warning()
    {
        var text = Csv.File([.. Csv.Start, Csv.Row("OO", codice: "1.1", titolo: "Obiettivo", dichiarato: "90")]);

        var warning = Assert.Single(Csv.Import(text).Warnings);

        Assert.Equal("line 5: column 'dichiarato': \"90\" is not used on an OO row and was ignored", warning.ToString());
    }

    [Fact]
    public void A_figure_that_may_mean_thousands_is_flagged()
    {
        var text = Csv.File([.. Csv.Start, Csv.Row("OO", codice: "1.1", titolo: "Obiettivo"),
            Csv.Row("IND", titolo: "Utenti", target: "1.500", direzione: "aumento")]);

        var outcome = Csv.Import(text);

        Assert.Equal(1.5m, outcome.Plan.Areas[0].StrategicObjectives[0].OperationalObjectives[0].Indicators[0].Target);
        Assert.Contains("\"1.500\" was read as 1,5", Assert.Single(outcome.Warnings).Message);
    }

    [Fact]
    public void A_workbook_typed_by_hand_with_text_cells_and_another_sheet_name_imports()
    {
        // Each cell as text, as when a person types into cells formatted as Testo.
        var rows = Typed.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0 && !line.Contains('"'))
            .Select(line => Csv.Header.Split(';').Zip(line.Split(';').Concat(Enumerable.Repeat("", 16)))
                .ToDictionary(p => p.First, p => (object)p.Second))
            .Skip(1);
        using var workbook = new MemoryStream();
        workbook.SaveAs(rows, sheetName: "Foglio1");

        var outcome = PlanSpreadsheet.ImportXlsx(new MemoryStream(workbook.ToArray()));

        Assert.Contains("no sheet \"piano\"", Assert.Single(outcome.Warnings).Message);
        var pagoPa = outcome.Plan.Areas[0].StrategicObjectives[0].OperationalObjectives[0];
        Assert.Equal(Realization.Of(96.67m), pagoPa.Realization);
        Assert.Equal(96.67m, pagoPa.Indicators[0].Actual);
    }
}
