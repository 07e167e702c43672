namespace PerfPlatform.Reporting.Domain;

public enum ReportFormat { Html, Pdf, Xlsx, Csv, Json, Metadata }

/// <summary>What each format is called and served as.</summary>
public static class ReportKinds
{
    public static IReadOnlyList<ReportFormat> All { get; } = Enum.GetValues<ReportFormat>();

    public static string ContentType(ReportFormat format) => format switch
    {
        ReportFormat.Html => "text/html; charset=utf-8",
        ReportFormat.Pdf => "application/pdf",
        ReportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ReportFormat.Csv => "text/csv; charset=utf-8",
        ReportFormat.Json => "application/json",
        ReportFormat.Metadata => "application/ld+json",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>"relazione-performance-2023.pdf"; the metadata record is "...-2023.metadati.jsonld".</summary>
    public static string FileName(ReportFormat format, int year) => format switch
    {
        ReportFormat.Metadata => $"relazione-performance-{year}.metadati.jsonld",
        _ => $"relazione-performance-{year}.{format.ToString().ToLowerInvariant()}",
    };
}
