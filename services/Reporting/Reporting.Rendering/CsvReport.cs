using System.Text;
using PerfPlatform.Reporting.Domain;

namespace PerfPlatform.Reporting.Rendering;

/// <summary>
/// The annex as one table, as Italian Excel opens it: semicolons, decimal comma, UTF-8 with BOM. Column "tipo" says
/// what a row is: "obiettivo operativo", "obiettivo strategico", "media area", "ente".
/// </summary>
public static class CsvReport
{
    public static readonly string[] Columns =
    [
        "tipo", "area", "nome area", "codice", "obiettivo strategico", "obiettivo operativo", "dimensioni BES", "OB. TRASV.",
        "PNRR/CIS", "intersettoriale", "settori", "% realizzazione", "% dichiarata", "% calcolata", "versione piano", "versione punteggi",
    ];

    public static byte[] Render(AnnexLayout layout)
    {
        var csv = new StringBuilder(4096 + layout.Areas.Sum(a => a.OperationalCount) * 300);
        Row(csv, Columns);
        foreach (var area in layout.Areas)
        {
            var areaNo = area.Number.ToString(Italian.Culture);
            foreach (var s in area.StrategicObjectives)
            {
                Row(csv, ["obiettivo strategico", areaNo, area.Name, s.Code, s.Title, "", "", "", "", "", "", "",
                    Number(s.Declared), Number(s.Computed), "", ""]);
                foreach (var o in s.OperationalObjectives)
                    Row(csv, ["obiettivo operativo", areaNo, area.Name, s.Code, s.Title, o.Title, o.Bes, o.CrossCutting ? "sì" : "",
                        o.Funding, o.InterSectorNote, o.Sectors, Number(o.Realization), "", "", "", ""]);
            }
            Row(csv, ["media area", areaNo, area.Name, "", "", "", "", "", "", "", "", "", Number(area.Mean.Declared), Number(area.Mean.Computed), "", ""]);
        }
        Row(csv, ["ente", "", layout.EntityName, "", "", "", "", "", "", "", "", "", Number(layout.EntityLevel.Declared),
            Number(layout.EntityLevel.Computed), layout.PlanVersion.ToString(Italian.Culture), layout.ScoreVersion.ToString(Italian.Culture)]);
        return Utf8.Encode(csv, withBom: true);
    }

    /// <summary>Numbers are written as they are ("99,39", "/"); they never pass through <see cref="Text"/>.</summary>
    private static string Number(Figure f) => Italian.Percent(f);

    private static void Row(StringBuilder csv, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) csv.Append(';');
            // Columns 11-15 are figures and versions; the rest is text from the plan, which could begin like a formula.
            csv.Append(i >= 11 ? Quote(cells[i]) : Text(cells[i]));
        }
        csv.Append("\r\n");
    }

    /// <summary>
    /// A text cell beginning with =, +, -, @ (or a tab or carriage return) would run as a formula in a spreadsheet:
    /// a leading apostrophe keeps it text.
    /// </summary>
    public static string Text(string value) =>
        Quote(value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(MustQuote) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private static readonly System.Buffers.SearchValues<char> MustQuote = System.Buffers.SearchValues.Create(";\"\n\r");
}
