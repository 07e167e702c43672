using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PerfPlatform.Reporting.Domain;

namespace PerfPlatform.Reporting.Rendering;

/// <summary>
/// The annex as a PDF: A4 landscape, a header with the entity and year on every page, "Pagina N di M" at the foot,
/// table rows never split across pages and table headers repeated on each page a table continues on.
/// </summary>
public static class PdfReport
{
    private const double PageWidth = 841.89, PageHeight = 595.28, Margin = 28, Top = 58, Bottom = 36, Pad = 3;
    private const double ContentWidth = PageWidth - 2 * Margin;

    public static byte[] Render(AnnexLayout layout)
    {
        DejaVuFonts.Install();
        using var doc = new PdfDocument();
        // The content streams are mostly table text: the fastest deflate level makes them barely larger and saves a
        // tenth of the render's CPU.
        doc.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;
        doc.Info.Title = $"{layout.Title} - {layout.EntityName}";
        doc.Info.Author = layout.EntityName;
        doc.Info.Subject = layout.Versions;
        var w = new Writer(doc, layout);
        w.NewPage();

        w.Text(layout.Subtitle, w.Bold11);
        w.Text($"{layout.Versions}; aggiornato al {Italian.Date(layout.GeneratedAt)}", w.Small);
        w.Space(6);

        var annex = new Column[]
        {
            new("N.", 34), new("Obiettivo strategico", 160), new("Obiettivi operativi di sviluppo", 270), new("BES", 86),
            new("OB. TRASV.", 50), new("PNRR/CIS", 66), new("% dichiarata", 60, true), new("% calcolata", 60, true),
        };
        foreach (var area in layout.Areas)
        {
            var table = new Table(w, annex, area.Heading);
            foreach (var s in area.StrategicObjectives)
            {
                if (s.OperationalObjectives.Count == 0)
                    table.Row([s.Code, s.Title, "", "", "", "", Italian.Percent(s.Declared), Italian.Percent(s.Computed)]);
                for (var i = 0; i < s.OperationalObjectives.Count; i++)
                {
                    var o = s.OperationalObjectives[i];
                    var title = o.Realization.HasValue || o.Realization.NotAssessed ? $"{o.Title} ({Italian.Percent(o.Realization)})" : o.Title;
                    // The strategic objective and its percentages on its first row; the rows after it continue it.
                    table.Row(i == 0
                        ? [s.Code, s.Title, title, o.Bes, o.CrossCutting ? "sì" : "", o.Funding, Italian.Percent(s.Declared), Italian.Percent(s.Computed)]
                        : ["", "", title, o.Bes, o.CrossCutting ? "sì" : "", o.Funding, "", ""], topRule: i == 0);
                }
            }
            table.Row(["", "MEDIA", "", "", "", "", Italian.Percent(area.Mean.Declared), Italian.Percent(area.Mean.Computed)], bold: true, shaded: true);
            table.Close();
            w.Space(8);
        }

        var entity = new Table(w, [new("", 546), new("", 120, true), new("", 120, true)], null);
        entity.Row(["Livello medio generale della performance strategica a livello di ente",
            $"dichiarato {Italian.Percent(layout.EntityLevel.Declared)}", $"calcolato {Italian.Percent(layout.EntityLevel.Computed)}"], bold: true, shaded: true);
        entity.Close();
        foreach (var f in layout.Footnotes) w.Text($"{f.Marker} {f.Text}", w.Small);
        w.Space(10);

        var consistency = new Table(w,
            [new("Livello", 80), new("Voce", 200), new("Dichiarato", 56, true), new("Calcolato", 56, true), new("Differenza", 56, true), new("Spiegazione", 338)],
            "Coerenza tra valori dichiarati e calcolati");
        if (layout.Consistency.Count == 0) consistency.Row(["", "Tutti i valori dichiarati coincidono con quelli calcolati.", "", "", "", ""]);
        foreach (var c in layout.Consistency)
            consistency.Row([Italian.LevelName(c.Level), c.Label, Italian.Percent(c.Declared), Italian.Percent(c.Computed),
                c.Difference is { } d ? Italian.SignedPercent(d) : "", string.Join("\n", c.Explanation)]);
        consistency.Close();
        w.Space(10);

        Breakdown(w, "Per settore", "Settore", layout.BySector);
        Breakdown(w, "Per dimensione BES", "Dimensione BES", layout.ByBesDimension);
        Chart(w, layout);

        w.Finish();
        using var stream = new MemoryStream();
        doc.Save(stream, false);
        return stream.ToArray();
    }

    private static void Breakdown(Writer w, string title, string keyName, IReadOnlyList<BreakdownItem> rows)
    {
        var table = new Table(w, [new(keyName, 400), new("Obiettivi operativi", 120, true), new("Valutati", 120, true), new("Media", 146, true)], title);
        if (rows.Count == 0) table.Row(["Nessun dato.", "", "", ""]);
        foreach (var r in rows)
            table.Row([r.Key, r.OperationalObjectives.ToString(Italian.Culture), r.Assessed.ToString(Italian.Culture), Italian.Percent(r.Mean)]);
        table.Close();
        w.Space(10);
    }

    /// <summary>The area means as bars on a 0-100 scale, as in the HTML's SVG.</summary>
    private static void Chart(Writer w, AnnexLayout layout)
    {
        const double height = 200, barWidth = 44, gap = 18, left = 30;
        w.Ensure(height + 60);
        w.Text("Media calcolata per area strategica", w.Bold11);
        var top = w.Y + 10;
        var g = w.Graphics;
        var axisPen = new XPen(XColor.FromArgb(0xcc, 0xcc, 0xdd), 0.5);
        foreach (var tick in new[] { 0, 25, 50, 75, 100 })
        {
            var y = top + height - height * tick / 100.0;
            g.DrawLine(axisPen, Margin + left, y, Margin + ContentWidth, y);
            g.DrawString(tick.ToString(Italian.Culture), w.Small, XBrushes.Black, new XRect(Margin, y - 5, left - 4, 10), XStringFormats.CenterRight);
        }
        var bars = AreaChart.Bars(layout);
        var fill = new XSolidBrush(XColor.FromArgb(0x00, 0x66, 0xcc));
        for (var i = 0; i < bars.Count; i++)
        {
            var x = Margin + left + gap + i * (barWidth + gap);
            var barHeight = height * (double)(bars[i].Computed ?? 0) / 100.0;
            if (bars[i].Computed is not null) g.DrawRectangle(fill, x, top + height - barHeight, barWidth, barHeight);
            g.DrawString(Italian.Percent(bars[i].Computed), w.Small, XBrushes.Black, new XRect(x - 6, top + height - barHeight - 11, barWidth + 12, 10), XStringFormats.Center);
            g.DrawString($"Area {bars[i].Label}", w.Small, XBrushes.Black, new XRect(x - 6, top + height + 3, barWidth + 12, 10), XStringFormats.Center);
        }
        w.Y = top + height + 20;
    }

    private sealed record Column(string Header, double Width, bool Right = false);

    /// <summary>Pages, the running header and footer, and the vertical position.</summary>
    private sealed class Writer(PdfDocument doc, AnnexLayout layout)
    {
        public readonly XFont Body = new(DejaVuFonts.Family, 7.5, XFontStyleEx.Regular);
        public readonly XFont BodyBold = new(DejaVuFonts.Family, 7.5, XFontStyleEx.Bold);
        public readonly XFont Small = new(DejaVuFonts.Family, 7, XFontStyleEx.Regular);
        public readonly XFont Bold11 = new(DejaVuFonts.Family, 11, XFontStyleEx.Bold);
        public XGraphics Graphics { get; private set; } = null!;
        public double Y { get; set; }
        public double Bottom => PageHeight - PdfReport.Bottom;

        public void NewPage()
        {
            Graphics?.Dispose();
            var page = doc.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            Graphics = XGraphics.FromPdfPage(page);
            Graphics.DrawString(layout.EntityName, Bold11, XBrushes.Black, new XRect(Margin, 22, ContentWidth, 14), XStringFormats.TopLeft);
            Graphics.DrawString(layout.Title, Bold11, XBrushes.Black, new XRect(Margin, 22, ContentWidth, 14), XStringFormats.TopRight);
            Graphics.DrawLine(XPens.Gray, Margin, 40, PageWidth - Margin, 40);
            Y = Top;
        }

        /// <summary>Starts a new page unless <paramref name="height"/> still fits on this one.</summary>
        public bool Ensure(double height)
        {
            if (Y + height <= Bottom) return false;
            NewPage();
            return true;
        }

        public void Space(double height) => Y += height;

        public void Text(string text, XFont font)
        {
            var lines = Wrap(text, font, ContentWidth);
            var lineHeight = font.Size * 1.3;
            Ensure(lines.Count * lineHeight);
            foreach (var line in lines)
            {
                Graphics.DrawString(line, font, XBrushes.Black, Margin, Y, XStringFormats.TopLeft);
                Y += lineHeight;
            }
        }

        /// <summary>Once every page exists: "Pagina N di M" and the versions on each.</summary>
        public void Finish()
        {
            Graphics.Dispose();
            for (var i = 0; i < doc.PageCount; i++)
            {
                using var g = XGraphics.FromPdfPage(doc.Pages[i], XGraphicsPdfPageOptions.Append);
                g.DrawString($"Pagina {i + 1} di {doc.PageCount}", Small, XBrushes.Black, new XRect(Margin, PageHeight - 24, ContentWidth, 10), XStringFormats.Center);
                g.DrawString(layout.Versions, Small, XBrushes.Gray, new XRect(Margin, PageHeight - 24, ContentWidth, 10), XStringFormats.CenterLeft);
            }
        }

        /// <summary>Greedy word wrap; widths summed per character from a cache (PDFsharp does not kern), a long word broken where it must.</summary>
        public List<string> Wrap(string text, XFont font, double width)
        {
            // Most cells fit on one line: measured once, not split into words (when splitting would not change its spaces).
            if (!text.Contains('\n') && !text.Contains("  ", StringComparison.Ordinal) && (text.Length == 0 || (text[0] != ' ' && text[^1] != ' '))
                && Measure(text, font) <= width)
                return [text];
            var lines = new List<string>();
            foreach (var paragraph in text.Split('\n'))
            {
                var line = "";
                double lineWidth = 0;
                foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var wordWidth = Measure(word, font);
                    var spaced = line.Length == 0 ? wordWidth : lineWidth + Measure(" ", font) + wordWidth;
                    if (spaced <= width) { line = line.Length == 0 ? word : line + " " + word; lineWidth = spaced; continue; }
                    if (line.Length > 0) lines.Add(line);
                    line = word;
                    lineWidth = wordWidth;
                    while (lineWidth > width && line.Length > 1)
                    {
                        var cut = line.Length - 1;
                        while (cut > 1 && Measure(line[..cut], font) > width) cut--;
                        lines.Add(line[..cut]);
                        line = line[cut..];
                        lineWidth = Measure(line, font);
                    }
                }
                lines.Add(line);
            }
            return lines;
        }

        private double Measure(string text, XFont font)
        {
            var widths = CharWidths.For(font);
            double total = 0;
            foreach (var c in text)
            {
                var cw = widths[c];
                if (double.IsNaN(cw)) widths[c] = cw = Graphics.MeasureString(c.ToString(), font).Width;
                total += cw;
            }
            return total;
        }
    }

    /// <summary>
    /// The width of each character per font (style and size), measured once per process: the fonts are fixed (DejaVu
    /// Sans, <see cref="DejaVuFonts"/>), so a width never changes. Racing writers store the same value.
    /// </summary>
    private static class CharWidths
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(XFontStyleEx, double), double[]> Tables = new();

        public static double[] For(XFont font) => Tables.GetOrAdd((font.Style, font.Size), static _ =>
        {
            var table = new double[char.MaxValue + 1];
            Array.Fill(table, double.NaN);
            return table;
        });
    }

    /// <summary>A table that starts a new page before a row that does not fit, repeating its title and header there.</summary>
    private sealed class Table
    {
        private readonly Writer _w;
        private readonly Column[] _columns;
        private readonly string? _title;
        private readonly XPen _rule = new(XColor.FromArgb(0xb8, 0xc4, 0xce), 0.5);
        private readonly XBrush _headerFill = new XSolidBrush(XColor.FromArgb(0xe6, 0xee, 0xf5));
        private readonly XBrush _shade = new XSolidBrush(XColor.FromArgb(0xf4, 0xf7, 0xfa));
        private bool _continued;
        /// <summary>Where this table's part on the current page begins (its header's top): the column rules run from here.</summary>
        private double _segmentTop = double.NaN;
        private List<string>[]? _header;

        public Table(Writer w, Column[] columns, string? title)
        {
            _w = w;
            _columns = columns;
            _title = title;
            // The title, the header and at least one line stay together.
            _w.Ensure(TitleHeight + HeaderHeight() + 14);
            Head();
        }

        private double TitleHeight => _title is null ? 0 : 16;

        private void Head()
        {
            if (_title is not null)
            {
                _w.Graphics.DrawString(_continued ? $"{_title} (segue)" : _title, _w.Bold11, XBrushes.Black, Margin, _w.Y, XStringFormats.TopLeft);
                _w.Y += TitleHeight;
            }
            if (_columns.All(c => c.Header.Length == 0)) return;
            Draw(_header ??= Lines(_columns.Select(c => c.Header).ToArray(), _w.BodyBold), _w.BodyBold, _headerFill, true);
        }

        public void Row(string[] cells, bool bold = false, bool shaded = false, bool topRule = true)
        {
            var font = bold ? _w.BodyBold : _w.Body;
            var lines = Lines(cells, font);
            if (_w.Y + Height(lines, font) > _w.Bottom)
            {
                Close();
                _w.NewPage();
                _continued = true;
                Head();
            }
            Draw(lines, font, shaded ? _shade : null, topRule);
        }

        /// <summary>
        /// Draws the column rules of the table's part on this page, top to bottom in one stroke each (not per row):
        /// before a page break and once the last row is in. Every table is closed.
        /// </summary>
        public void Close()
        {
            if (double.IsNaN(_segmentTop)) return;
            var g = _w.Graphics;
            var x = Margin;
            foreach (var col in _columns)
            {
                g.DrawLine(_rule, x, _segmentTop, x, _w.Y);
                x += col.Width;
            }
            g.DrawLine(_rule, x, _segmentTop, x, _w.Y);
            _segmentTop = double.NaN;
        }

        /// <summary>Each cell wrapped to its column, once per row (measuring is the costly part).</summary>
        private List<string>[] Lines(string[] cells, XFont font)
        {
            var lines = new List<string>[cells.Length];
            for (var i = 0; i < cells.Length; i++) lines[i] = _w.Wrap(cells[i], font, _columns[i].Width - 2 * Pad);
            return lines;
        }

        private double HeaderHeight() => Height(_header ??= Lines(_columns.Select(c => c.Header).ToArray(), _w.BodyBold), _w.BodyBold);

        private static double Height(List<string>[] lines, XFont font) => Math.Max(1, lines.Max(l => l.Count)) * font.Size * 1.25 + 2 * Pad;

        private void Draw(List<string>[] lines, XFont font, XBrush? fill, bool topRule)
        {
            var g = _w.Graphics;
            var height = Height(lines, font);
            var x = Margin;
            var first = double.IsNaN(_segmentTop);
            if (first) _segmentTop = _w.Y;
            if (fill is not null) g.DrawRectangle(fill, Margin, _w.Y, ContentWidth, height);
            // The rule above a row is the one below the row before it, already drawn; unless this row starts the page's
            // part of the table, or its fill has just covered half of that rule.
            if (topRule && (first || fill is not null)) g.DrawLine(_rule, Margin, _w.Y, Margin + ContentWidth, _w.Y);
            for (var i = 0; i < lines.Length; i++)
            {
                var col = _columns[i];
                var y = _w.Y + Pad;
                foreach (var line in lines[i])
                {
                    if (line.Length == 0) { y += font.Size * 1.25; continue; }
                    if (col.Right) g.DrawString(line, font, XBrushes.Black, new XRect(x + Pad, y, col.Width - 2 * Pad, font.Size * 1.25), XStringFormats.TopRight);
                    else g.DrawString(line, font, XBrushes.Black, x + Pad, y, XStringFormats.TopLeft);
                    y += font.Size * 1.25;
                }
                x += col.Width;
            }
            _w.Y += height;
            g.DrawLine(_rule, Margin, _w.Y, Margin + ContentWidth, _w.Y);
        }
    }
}
