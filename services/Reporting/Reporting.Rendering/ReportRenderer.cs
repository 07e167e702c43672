using PerfPlatform.Reporting.Domain;

namespace PerfPlatform.Reporting.Rendering;

/// <summary>Renders an annex in one format.</summary>
public static class ReportRenderer
{
    public static byte[] Render(Annex annex, ReportFormat format)
    {
        var layout = AnnexLayout.Of(annex);
        return format switch
        {
            ReportFormat.Html => HtmlReport.Render(layout),
            ReportFormat.Pdf => PdfReport.Render(layout),
            ReportFormat.Xlsx => XlsxReport.Render(layout),
            ReportFormat.Csv => CsvReport.Render(layout),
            ReportFormat.Json => JsonReport.Render(layout),
            ReportFormat.Metadata => JsonReport.Metadata(layout),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown report format"),
        };
    }
}
