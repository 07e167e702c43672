using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcStatus = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PerfPlatform.Portal.Services;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>
/// The audit trail of a year (or of one objective in it): who changed what, when, from what to what, with which
/// note; filtered by objective, actor and days, a page at a time, and downloadable as CSV with the same filter.
/// </summary>
public sealed class RegistroModel(
    ObjectivesV1.ObjectivesAudit.ObjectivesAuditClient audit, ObjectivesV1.Objectives.ObjectivesClient objectives,
    IStringLocalizer<RegistroModel> l) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "anno")] public int Year { get; set; } = 2023;
    /// <summary>A strategic objective's code (with its operational objectives) or an operational objective's id.</summary>
    [BindProperty(SupportsGet = true, Name = "obiettivo")] public string? Objective { get; set; }
    [BindProperty(SupportsGet = true, Name = "autore")] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true, Name = "dal")] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "al")] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "pagina")] public string? PageToken { get; set; }
    /// <summary>How many pages came before this one (for "page n" and the way back to the first).</summary>
    [BindProperty(SupportsGet = true, Name = "n")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<int> Years { get; private set; } = [];
    public IReadOnlyList<ObjectivesV1.AuditRecord> Records { get; private set; } = [];
    public string NextPageToken { get; private set; } = "";
    /// <summary>The title of the objective filtered on, when it is an operational objective.</summary>
    public string? ObjectiveTitle { get; private set; }
    public string? FromError { get; private set; }
    public string? ToError { get; private set; }
    public string? Error { get; private set; }

    public bool Filtered => !string.IsNullOrWhiteSpace(Objective) || !string.IsNullOrWhiteSpace(Actor) || !string.IsNullOrWhiteSpace(From) || !string.IsNullOrWhiteSpace(To);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var years = objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest(), cancellationToken: ct);
        var filter = Filter();
        Years = (await years).Years.Select(y => y.Year).Order().ToList();
        if (filter is null) return Invalid();
        try
        {
            var title = LoadTitleAsync(ct);
            var answer = await audit.ListAuditRecordsAsync(new ObjectivesV1.ListAuditRecordsRequest
            {
                Filter = filter, PageSize = PageSize, PageToken = PageToken ?? "",
            }, cancellationToken: ct);
            Records = answer.Records;
            NextPageToken = answer.NextPageToken;
            ObjectiveTitle = await title;
        }
        catch (RpcException e) when (e.StatusCode == GrpcStatus.InvalidArgument)
        {
            Error = l["La ricerca non è valida: {0}", e.Status.Detail];
            return Invalid();
        }
        return Page();
    }

    /// <summary>The same filter as a CSV file, as the service writes it.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        var filter = Filter();
        if (filter is null) return BadRequest();
        var file = await audit.ExportAuditRecordsAsync(new ObjectivesV1.ExportAuditRecordsRequest { Filter = filter }, cancellationToken: ct);
        var name = file.FileName.Length > 0 ? file.FileName : $"registro-{Year}.csv";
        return File(file.Content.ToByteArray(), file.ContentType.Length > 0 ? file.ContentType : "text/csv; charset=utf-8", name);
    }

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<string?> LoadTitleAsync(CancellationToken ct)
    {
        var id = Objective?.Trim();
        // A strategic code ("1.13") names itself; an operational objective's id is looked up for its title.
        if (string.IsNullOrEmpty(id) || char.IsDigit(id[0]) && id.Contains('.') && id.Length <= 8) return null;
        try
        {
            return (await objectives.GetOperationalObjectiveAsync(new ObjectivesV1.GetOperationalObjectiveRequest { Id = id }, cancellationToken: ct)).Title;
        }
        catch (RpcException e) when (e.StatusCode is GrpcStatus.NotFound or GrpcStatus.InvalidArgument)
        {
            return null;
        }
    }

    /// <summary>The filter from the query; null (with the field's message) when a day is not a date.</summary>
    private ObjectivesV1.AuditFilter? Filter()
    {
        var filter = new ObjectivesV1.AuditFilter { Year = Year, Objective = Objective?.Trim() ?? "", Actor = Actor?.Trim() ?? "" };
        DateOnly? from = null, to = null;
        if (!string.IsNullOrWhiteSpace(From))
        {
            if (Day(From) is { } d) from = d;
            else FromError = l["«{0}» non è una data (gg/mm/aaaa).", From];
        }
        if (!string.IsNullOrWhiteSpace(To))
        {
            if (Day(To) is { } d) to = d;
            else ToError = l["«{0}» non è una data (gg/mm/aaaa).", To];
        }
        if (from is { } f && to is { } t && t < f) ToError = l["La data finale viene prima di quella iniziale."];
        if (FromError is not null || ToError is not null) return null;
        if (from is { } start) filter.From = Timestamp.FromDateTimeOffset(PortalTime.StartOf(start));
        // "Until 31 March" includes the whole of that day: up to the start of the next one, exclusive.
        if (to is { } end) filter.To = Timestamp.FromDateTimeOffset(PortalTime.StartOf(end.AddDays(1)));
        return filter;
    }

    /// <summary>A day as the date field sends it (yyyy-MM-dd) or as a person writes it (31/12/2024).</summary>
    private static DateOnly? Day(string text) =>
        DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "d/M/yyyy", "d.M.yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The query of this search, for the CSV link and the pages.</summary>
    public Dictionary<string, string> Query(string? pageToken = null, int? number = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["anno"] = Year.ToString(CultureInfo.InvariantCulture), ["obiettivo"] = Objective, ["autore"] = Actor, ["dal"] = From, ["al"] = To,
            ["pagina"] = pageToken, ["n"] = number?.ToString(CultureInfo.InvariantCulture),
        };
        return query.Where(p => !string.IsNullOrWhiteSpace(p.Value)).ToDictionary(p => p.Key, p => p.Value!.Trim());
    }

    public string ChangeName(string change) => change switch
    {
        "realization-set" => l["Valore inserito"],
        "objective-updated" => l["Obiettivo modificato"],
        "import" => l["Importazione"],
        "workflow" => l["Ciclo dell'anno"],
        _ => change,
    };

    public string KindName(string kind) => kind switch
    {
        "year" => l["Anno"],
        "area" => l["Area"],
        "strategic-objective" => l["Obiettivo strategico"],
        "operational-objective" => l["Obiettivo operativo"],
        _ => kind,
    };

    public string FieldName(string field) => field switch
    {
        "realization" => l["Realizzazione"],
        "title" => l["Titolo"],
        "weight" => l["Peso"],
        "sectors" => l["Settori"],
        "strategic_objective_code" => l["Obiettivo strategico"],
        "state" => l["Stato"],
        "plan" => l["Piano"],
        "created" => l["Creato"],
        "deleted" => l["Eliminato"],
        _ => field,
    };
}
