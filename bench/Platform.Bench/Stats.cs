using System.Diagnostics;
using System.Text;

namespace PerfPlatform.Bench;

/// <summary>Exact percentiles (nearest rank) over every sample, in milliseconds.</summary>
public sealed record Summary(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static Summary Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.ToArray();
        Array.Sort(sorted);
        if (sorted.Length == 0) return new Summary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        return new Summary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    private static double Rank(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

public static class Time
{
    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
    public static double Us(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static string F(double value, int decimals = 3) =>
        double.IsNaN(value) ? "-" : value.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A plain text table, columns padded, first column left-aligned and the others right-aligned.</summary>
public sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Row(params object[] cells)
    {
        _rows.Add(cells.Select(c => c switch
        {
            double d => Time.F(d),
            null => "",
            _ => c.ToString() ?? "",
        }).ToArray());
        return this;
    }

    public void Print(string title)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine().AppendLine(title);
        string Line(IReadOnlyList<string> cells) => string.Join("  ", widths.Select((w, i) =>
        {
            var c = i < cells.Count ? cells[i] : "";
            return i == 0 ? c.PadRight(w) : c.PadLeft(w);
        })).TrimEnd();
        sb.AppendLine(Line(headers));
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var r in _rows) sb.AppendLine(Line(r));
        Console.Write(sb.ToString());
    }
}
