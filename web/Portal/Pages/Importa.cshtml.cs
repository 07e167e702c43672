using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PerfPlatform.Portal.Services;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>
/// Import a document in two steps: a dry run (counts, the tree, every warning with its line), then the
/// confirmation, which sends the same bytes again (carried in the form). Export of a year as CSV or XLSX.
/// </summary>
[RequestSizeLimit(16 * 1024 * 1024)]
public sealed class ImportaModel(
    ObjectivesV1.Objectives.ObjectivesClient objectives, IPortalPermissions permissions, IStringLocalizer<ImportaModel> l) : PageModel
{
    [BindProperty] public IFormFile? Document { get; set; }
    [BindProperty] public string? DocumentContent { get; set; }
    [BindProperty] public string? FileName { get; set; }
    [BindProperty] public bool ReplaceExisting { get; set; }
    [BindProperty(SupportsGet = true, Name = "anno")] public int ExportYear { get; set; } = 2023;

    public ObjectivesV1.ImportDocumentResponse? Result { get; private set; }
    public IReadOnlyList<string> Refusals { get; private set; } = [];
    public bool CanImport => permissions.CanImport;

    public void OnGet() { }

    public Task<IActionResult> OnPostPreviewAsync(CancellationToken ct) => ImportAsync(dryRun: true, ct);
    public Task<IActionResult> OnPostConfirmAsync(CancellationToken ct) => ImportAsync(dryRun: false, ct);

    public async Task<IActionResult> OnGetExportAsync(string formato, CancellationToken ct)
    {
        var format = formato == "xlsx" ? ObjectivesV1.DocumentFormat.Xlsx : ObjectivesV1.DocumentFormat.Csv;
        var file = await objectives.ExportYearAsync(new ObjectivesV1.ExportYearRequest { Year = ExportYear, Format = format }, cancellationToken: ct);
        return File(file.Content.ToByteArray(), file.ContentType, file.FileName);
    }

    private async Task<IActionResult> ImportAsync(bool dryRun, CancellationToken ct)
    {
        if (!CanImport) return Forbid();
        byte[] bytes;
        if (Document is { Length: > 0 } upload)
        {
            using var buffer = new MemoryStream();
            await upload.CopyToAsync(buffer, ct);
            bytes = buffer.ToArray();
            FileName = Path.GetFileName(upload.FileName);
        }
        else if (DocumentContent is { Length: > 0 }) bytes = Convert.FromBase64String(DocumentContent);
        else return Refuse(l["Scegliere un file da importare."]);

        DocumentContent = Convert.ToBase64String(bytes);
        var format = Path.GetExtension(FileName ?? "").ToLowerInvariant() switch
        {
            ".csv" => ObjectivesV1.DocumentFormat.Csv,
            ".xlsx" => ObjectivesV1.DocumentFormat.Xlsx,
            _ => ObjectivesV1.DocumentFormat.RelazioneText,
        };
        try
        {
            Result = await objectives.ImportDocumentAsync(new ObjectivesV1.ImportDocumentRequest
            {
                Content = ByteString.CopyFrom(bytes), Format = format, FileName = FileName ?? "", DryRun = dryRun, ReplaceExisting = ReplaceExisting,
            }, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.InvalidArgument or Grpc.Core.StatusCode.AlreadyExists or Grpc.Core.StatusCode.FailedPrecondition)
        {
            var lines = e.Status.Detail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            if (e.StatusCode == Grpc.Core.StatusCode.AlreadyExists) lines.Insert(0, l["L'anno esiste già: scegliere «sostituisci l'anno esistente» per sostituirlo."]);
            return Refuse(lines.ToArray());
        }
        return Page();
    }

    private PageResult Refuse(params string[] lines)
    {
        Refusals = lines;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
