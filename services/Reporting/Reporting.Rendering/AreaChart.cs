using PerfPlatform.Reporting.Domain;

namespace PerfPlatform.Reporting.Rendering;

/// <summary>The bar chart of area means, as geometry both the SVG and the PDF draw: bars on a 0-100 scale.</summary>
internal static class AreaChart
{
    public sealed record Bar(int Area, string Label, decimal? Computed, decimal? Declared);

    public static IReadOnlyList<Bar> Bars(AnnexLayout layout) =>
        layout.Areas.Select(a => new Bar(a.Number, $"{a.Number}", a.Mean.Computed.Value, a.Mean.Declared.Value)).ToList();
}
