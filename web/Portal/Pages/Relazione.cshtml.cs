using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReportingV1 = PerfPlatform.Reporting.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>The annex of a year as Reporting publishes it: shown in the page, and its downloads streamed chunk by chunk.</summary>
public sealed class RelazioneModel(ReportingV1.Reporting.ReportingClient reporting) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "anno")] public int Year { get; set; } = 2023;

    public ReportingV1.ListReportsResponse? Reports { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Reports = await reporting.ListReportsAsync(new ReportingV1.ListReportsRequest { Year = Year }, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            Reports = null;
        }
    }

    public static readonly IReadOnlyDictionary<string, ReportingV1.ReportFormat> Formats = new Dictionary<string, ReportingV1.ReportFormat>
    {
        ["html"] = ReportingV1.ReportFormat.Html, ["pdf"] = ReportingV1.ReportFormat.Pdf, ["xlsx"] = ReportingV1.ReportFormat.Xlsx,
        ["csv"] = ReportingV1.ReportFormat.Csv, ["json"] = ReportingV1.ReportFormat.Json,
    };

    public async Task<IActionResult> OnGetFileAsync(string formato, CancellationToken ct)
    {
        if (!Formats.TryGetValue(formato, out var format)) return NotFound();
        using var call = reporting.GetReport(new ReportingV1.GetReportRequest { Year = Year, Format = format }, cancellationToken: ct);
        // The first chunk carries the type and name: read it before anything is sent, so a refusal is still a page.
        if (!await call.ResponseStream.MoveNext(ct)) return NotFound();
        var first = call.ResponseStream.Current;
        Response.ContentType = first.ContentType;
        if (first.TotalBytes > 0) Response.ContentLength = first.TotalBytes;
        // The HTML annex is shown in the page's frame; every other format is a download.
        var disposition = format == ReportingV1.ReportFormat.Html ? "inline" : "attachment";
        if (format == ReportingV1.ReportFormat.Html)
        {
            // Its own policy: the annex's inline styles, no script, framed by the portal's pages only.
            Response.Headers.ContentSecurityPolicy = Services.SecurityHeaders.AnnexPolicy;
            Response.Headers.XFrameOptions = "SAMEORIGIN";
        }
        Response.Headers.ContentDisposition = $"{disposition}; filename=\"{first.FileName}\"";
        await Response.Body.WriteAsync(first.Data.Memory, ct);
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(ct)) await Response.Body.WriteAsync(chunk.Data.Memory, ct);
        return new EmptyResult();
    }
}
