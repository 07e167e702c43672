using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using PerfPlatform.Reporting.Domain;

namespace PerfPlatform.Reporting.Rendering;

/// <summary>
/// The annex as a workbook: a summary sheet (areas, entity level, versions) and a sheet per area. Percentages are
/// numbers with the number format 0.00; "/" (not assessed) stays text, as the annex prints it.
/// </summary>
public static class XlsxReport
{
    public const string SummarySheet = "Riepilogo";
    private static readonly string[] FigureColumns = ["MEDIA dichiarata", "MEDIA calcolata", "% realizzazione", "% dichiarata", "% calcolata"];

    public static string SheetName(AreaSection area) => $"Area {area.Number}";

    public static byte[] Render(AnnexLayout layout)
    {
        var sheets = new Dictionary<string, object> { [SummarySheet] = Summary(layout) };
        foreach (var area in layout.Areas) sheets[SheetName(area)] = AreaRows(area);
        var configuration = new OpenXmlConfiguration
        {
            // MiniExcel's defaults (FastMode, a 512 K-character buffer per sheet writer) cost 75 MB and ~50 ms of CPU even
            // for the 2023 workbook's eleven small sheets; with a 16 K buffer the sheets come out byte for byte the same.
            FastMode = false,
            BufferSize = 16 * 1024,
            DynamicColumns = FigureColumns.Select(c => new DynamicExcelColumn(c) { Format = "0.00", Width = 16 })
                .Concat([
                    new DynamicExcelColumn("Obiettivo strategico") { Width = 50 }, new DynamicExcelColumn("Obiettivo operativo") { Width = 70 },
                    new DynamicExcelColumn("Voce") { Width = 70 },
                ]).ToArray(),
        };
        using var stream = new MemoryStream();
        stream.SaveAs(sheets, configuration: configuration);
        return stream.ToArray();
    }

    private static List<Dictionary<string, object?>> Summary(AnnexLayout layout)
    {
        var rows = layout.Areas.Select(a => Row(
            ("Area", a.Number), ("Voce", a.Name + a.FootnoteMarker), ("MEDIA dichiarata", Cell(a.Mean.Declared)), ("MEDIA calcolata", Cell(a.Mean.Computed))))
            .ToList();
        rows.Add(Row(("Area", null), ("Voce", "Livello medio generale della performance strategica a livello di ente"),
            ("MEDIA dichiarata", Cell(layout.EntityLevel.Declared)), ("MEDIA calcolata", Cell(layout.EntityLevel.Computed))));
        rows.Add(Row(("Area", null), ("Voce", $"{layout.EntityName}, {layout.Title}. {layout.Versions}; aggiornato al {Italian.Date(layout.GeneratedAt)}"),
            ("MEDIA dichiarata", null), ("MEDIA calcolata", null)));
        foreach (var f in layout.Footnotes)
            rows.Add(Row(("Area", null), ("Voce", $"{f.Marker} {f.Text}"), ("MEDIA dichiarata", null), ("MEDIA calcolata", null)));
        return rows;
    }

    private static List<Dictionary<string, object?>> AreaRows(AreaSection area)
    {
        var rows = new List<Dictionary<string, object?>>(area.OperationalCount + area.StrategicObjectives.Count + 1);
        foreach (var s in area.StrategicObjectives)
        {
            var operational = s.OperationalObjectives.Count > 0 ? s.OperationalObjectives : [null!];
            foreach (var o in operational)
                rows.Add(Row(("N.", s.Code), ("Obiettivo strategico", s.Title), ("Obiettivo operativo", o?.Title), ("BES", o?.Bes),
                    ("OB. TRASV.", o is { CrossCutting: true } ? "sì" : null), ("PNRR/CIS", o?.Funding), ("Settori", o?.Sectors),
                    ("% realizzazione", o is null ? null : Cell(o.Realization)), ("% dichiarata", Cell(s.Declared)), ("% calcolata", Cell(s.Computed))));
        }
        rows.Add(Row(("N.", null), ("Obiettivo strategico", "MEDIA"), ("Obiettivo operativo", null), ("BES", null), ("OB. TRASV.", null),
            ("PNRR/CIS", null), ("Settori", null), ("% realizzazione", null), ("% dichiarata", Cell(area.Mean.Declared)), ("% calcolata", Cell(area.Mean.Computed))));
        return rows;
    }

    /// <summary>A number rounded to two decimals, "/" for not assessed, empty for none.</summary>
    private static object? Cell(Figure f) => f.Value is { } v ? Italian.Round(v) : f.NotAssessed ? "/" : null;

    private static Dictionary<string, object?> Row(params (string Column, object? Value)[] cells)
    {
        var row = new Dictionary<string, object?>(cells.Length);
        foreach (var (column, value) in cells) row[column] = value;
        return row;
    }
}
