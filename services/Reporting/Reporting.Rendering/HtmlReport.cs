using System.Globalization;
using System.Net;
using System.Text;
using PerfPlatform.Reporting.Domain;

namespace PerfPlatform.Reporting.Rendering;

/// <summary>The annex as a self-contained HTML page (styles inline, chart as SVG; nothing from a CDN).</summary>
public static class HtmlReport
{
    public static byte[] Render(AnnexLayout layout)
    {
        var h = new StringBuilder(64 * 1024 + layout.Areas.Sum(a => a.OperationalCount) * 400);
        h.Append("<!DOCTYPE html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append("<title>").Append(E($"{layout.EntityName} - {layout.Title}")).Append("</title>\n");
        h.Append("""
<style>
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13px;color:#1a1a1a;margin:24px}
h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 8px;color:#06c}h3{font-size:15px;margin:20px 0 6px}
table{border-collapse:collapse;width:100%;margin-bottom:8px}th,td{border:1px solid #b8c4ce;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#e6eef5}td.n{text-align:right;white-space:nowrap}tr.media td{background:#f4f7fa;font-weight:bold}
.diff{color:#a61c00;font-weight:bold}.meta{color:#555}ul.oo{margin:0;padding-left:16px}
tr.ente td{background:#dbe7f3;font-weight:bold}.fn{font-size:12px}
</style>
</head>
<body>

""");
        h.Append("<header><p class=\"meta\">").Append(E(layout.EntityName)).Append("</p><h1>").Append(E(layout.Title)).Append("</h1>\n");
        h.Append("<p>").Append(E(layout.Subtitle)).Append("</p>\n");
        h.Append("<p class=\"meta\" id=\"versioni\">").Append(E(layout.Versions)).Append(" · aggiornato al ")
            .Append(E(Italian.Date(layout.GeneratedAt))).Append("</p></header>\n");

        h.Append("<h2>Obiettivi strategici e operativi</h2>\n");
        foreach (var area in layout.Areas) Area(h, area);
        h.Append("<table><tr class=\"ente\"><td>Livello medio generale della performance strategica a livello di ente</td>")
            .Append("<td class=\"n\">dichiarato ").Append(Italian.Percent(layout.EntityLevel.Declared)).Append("</td>")
            .Append("<td class=\"n").Append(layout.EntityLevel.Differ ? " diff" : "").Append("\">calcolato ")
            .Append(Italian.Percent(layout.EntityLevel.Computed)).Append("</td></tr></table>\n");
        foreach (var f in layout.Footnotes) h.Append("<p class=\"fn\">").Append(E(f.Marker)).Append(' ').Append(E(f.Text)).Append("</p>\n");

        h.Append("<h2>Coerenza tra valori dichiarati e calcolati</h2>\n");
        if (layout.Consistency.Count == 0) h.Append("<p>Tutti i valori dichiarati coincidono con quelli calcolati.</p>\n");
        else
        {
            h.Append("<table><tr><th>Livello</th><th>Voce</th><th>Dichiarato</th><th>Calcolato</th><th>Differenza</th><th>Spiegazione</th></tr>\n");
            foreach (var c in layout.Consistency)
            {
                h.Append("<tr><td>").Append(E(Italian.LevelName(c.Level))).Append("</td><td>").Append(E(c.Label)).Append("</td><td class=\"n\">")
                    .Append(Italian.Percent(c.Declared)).Append("</td><td class=\"n diff\">").Append(Italian.Percent(c.Computed)).Append("</td><td class=\"n\">")
                    .Append(c.Difference is { } d ? Italian.SignedPercent(d) : "").Append("</td><td>");
                foreach (var line in c.Explanation) h.Append("<p>").Append(E(line)).Append("</p>");
                h.Append("</td></tr>\n");
            }
            h.Append("</table>\n");
        }

        Breakdown(h, "Per settore", "Settore", layout.BySector);
        Breakdown(h, "Per dimensione BES", "Dimensione BES", layout.ByBesDimension);

        h.Append("<h2>Media per area strategica</h2>\n");
        Chart(h, layout);
        h.Append("</body>\n</html>\n");
        return Utf8.Encode(h, withBom: false);
    }

    private static void Area(StringBuilder h, AreaSection area)
    {
        h.Append("<h3 id=\"area-").Append(area.Number).Append("\">").Append(E(area.Heading)).Append("</h3>\n");
        h.Append("<table><thead><tr><th>N.</th><th>Obiettivo strategico</th><th>Obiettivi operativi</th><th>BES</th><th>OB. TRASV.</th>")
            .Append("<th>PNRR/CIS</th><th>% dichiarata</th><th>% calcolata</th></tr></thead><tbody>\n");
        foreach (var s in area.StrategicObjectives)
        {
            // One row per operational objective; the strategic objective and its percentages span them.
            var rows = Math.Max(1, s.OperationalObjectives.Count);
            var span = rows > 1 ? $" rowspan=\"{rows}\"" : "";
            h.Append("<tr><td").Append(span).Append('>').Append(E(s.Code)).Append("</td><td").Append(span).Append('>').Append(E(s.Title)).Append("</td>");
            if (s.OperationalObjectives.Count == 0) h.Append("<td></td><td></td><td></td><td></td>");
            for (var i = 0; i < s.OperationalObjectives.Count; i++)
            {
                var o = s.OperationalObjectives[i];
                if (i > 0) h.Append("<tr>");
                h.Append("<td>").Append(E(o.Title));
                if (o.Realization.HasValue || o.Realization.NotAssessed) h.Append(" (").Append(Italian.Percent(o.Realization)).Append(')');
                if (!string.IsNullOrEmpty(o.InterSectorNote)) h.Append(" <em>").Append(E(o.InterSectorNote)).Append("</em>");
                h.Append("</td><td>").Append(E(o.Bes)).Append("</td><td>").Append(o.CrossCutting ? "OB. TRASV." : "")
                    .Append("</td><td>").Append(E(o.Funding)).Append("</td>");
                if (i == 0) Percentages(h, s, span);
                h.Append("</tr>\n");
            }
            if (s.OperationalObjectives.Count == 0)
            {
                Percentages(h, s, span);
                h.Append("</tr>\n");
            }
        }
        h.Append("<tr class=\"media\"><td></td><td colspan=\"5\">MEDIA</td><td class=\"n\">").Append(Italian.Percent(area.Mean.Declared))
            .Append("</td><td class=\"n").Append(area.Mean.Differ ? " diff" : "").Append("\">").Append(Italian.Percent(area.Mean.Computed))
            .Append("</td></tr>\n</tbody></table>\n");
    }

    private static void Percentages(StringBuilder h, StrategicRow s, string span) =>
        h.Append("<td class=\"n\"").Append(span).Append('>').Append(Italian.Percent(s.Declared)).Append("</td><td class=\"n")
            .Append(s.Differ ? " diff" : "").Append('"').Append(span).Append('>').Append(Italian.Percent(s.Computed)).Append("</td>");

    private static void Breakdown(StringBuilder h, string title, string keyName, IReadOnlyList<BreakdownItem> rows)
    {
        h.Append("<h2>").Append(E(title)).Append("</h2>\n");
        if (rows.Count == 0) { h.Append("<p>Nessun dato.</p>\n"); return; }
        h.Append("<table><tr><th>").Append(E(keyName)).Append("</th><th>Obiettivi operativi</th><th>Valutati</th><th>Media</th></tr>\n");
        foreach (var r in rows)
            h.Append("<tr><td>").Append(E(r.Key)).Append("</td><td class=\"n\">").Append(r.OperationalObjectives).Append("</td><td class=\"n\">")
                .Append(r.Assessed).Append("</td><td class=\"n\">").Append(Italian.Percent(r.Mean)).Append("</td></tr>\n");
        h.Append("</table>\n");
    }

    private static void Chart(StringBuilder h, AnnexLayout layout)
    {
        var bars = AreaChart.Bars(layout);
        const int barWidth = 56, gap = 18, height = 240, left = 40, top = 20;
        var width = left + bars.Count * (barWidth + gap) + gap;
        string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        h.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").Append(width).Append("\" height=\"").Append(height + top + 40)
            .Append("\" aria-label=\"Media calcolata per area strategica\">\n");
        h.Append("<title>Media calcolata per area strategica (scala 0-100)</title>\n");
        foreach (var tick in new[] { 0, 25, 50, 75, 100 })
        {
            var y = top + height - height * tick / 100.0;
            h.Append("<line x1=\"").Append(left).Append("\" x2=\"").Append(width).Append("\" y1=\"").Append(N(y)).Append("\" y2=\"").Append(N(y))
                .Append("\" stroke=\"#ccd\"/><text x=\"").Append(left - 6).Append("\" y=\"").Append(N(y + 4)).Append("\" font-size=\"11\" text-anchor=\"end\">")
                .Append(tick).Append("</text>\n");
        }
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var x = left + gap + i * (barWidth + gap);
            var value = (double)(b.Computed ?? 0);
            var barHeight = height * value / 100.0;
            if (b.Computed is not null)
                h.Append("<rect x=\"").Append(x).Append("\" y=\"").Append(N(top + height - barHeight)).Append("\" width=\"").Append(barWidth)
                    .Append("\" height=\"").Append(N(barHeight)).Append("\" fill=\"#0066cc\"><title>Area ").Append(b.Area).Append(": ")
                    .Append(Italian.Percent(b.Computed)).Append("</title></rect>\n");
            h.Append("<text x=\"").Append(x + barWidth / 2).Append("\" y=\"").Append(N(top + height - barHeight - 4))
                .Append("\" font-size=\"11\" text-anchor=\"middle\">").Append(Italian.Percent(b.Computed)).Append("</text>\n");
            h.Append("<text x=\"").Append(x + barWidth / 2).Append("\" y=\"").Append(top + height + 16)
                .Append("\" font-size=\"12\" text-anchor=\"middle\">Area ").Append(E(b.Label)).Append("</text>\n");
        }
        h.Append("</svg>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
