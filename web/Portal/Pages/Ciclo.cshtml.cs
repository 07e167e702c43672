using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using GrpcStatus = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PerfPlatform.Portal.Services;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>
/// The year's cycle: where the year stands (planning -> monitoring -> final -> validated -> published), the steps
/// it went through (from the audit trail), the button for the next step and the reopening, each only for the
/// roles allowed. Validation refused for final values below 100 without an explanation lists them, with links.
/// </summary>
public sealed partial class CicloModel(
    ObjectivesV1.YearWorkflow.YearWorkflowClient workflow, ObjectivesV1.ObjectivesAudit.ObjectivesAuditClient audit,
    ObjectivesV1.Objectives.ObjectivesClient objectives, IPortalPermissions permissions, IStringLocalizer<CicloModel> l) : PageModel
{
    /// <summary>The states in their order, as the page names them (query values, not shown).</summary>
    public static readonly IReadOnlyList<ObjectivesV1.YearState> Steps =
    [
        ObjectivesV1.YearState.Planning, ObjectivesV1.YearState.Monitoring, ObjectivesV1.YearState.Final,
        ObjectivesV1.YearState.Validated, ObjectivesV1.YearState.Published,
    ];

    [BindProperty(SupportsGet = true, Name = "anno")] public int Year { get; set; } = 2023;

    /// <summary>The state the form asks to go to (so a repeated submission cannot skip a step).</summary>
    [BindProperty] public ObjectivesV1.YearState To { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public ObjectivesV1.YearStatus? Status { get; private set; }
    public IReadOnlyList<int> Years { get; private set; } = [];
    public IReadOnlyList<ObjectivesV1.AuditRecord> History { get; private set; } = [];
    /// <summary>The caller may not read the audit trail, where the steps are recorded.</summary>
    public bool HistoryHidden { get; private set; }
    public bool HistoryTruncated { get; private set; }

    /// <summary>The refusal, in the reader's language; the service's own words in <see cref="ServiceDetail"/>.</summary>
    public string? Error { get; private set; }
    public string? ServiceDetail { get; private set; }
    /// <summary>Set when the refusal is validation's: the deviations are then listed under the message.</summary>
    public bool RefusedForDeviations { get; private set; }
    public bool ReasonMissing { get; private set; }
    [TempData] public string? Done { get; set; }

    public ObjectivesV1.YearState? Next => Status is { } s ? NextOf(s.State) : null;
    public bool CanAdvance => Next is { } n && Allowed(n);
    public bool CanReopen => Status is { Locked: true } && permissions.CanValidate;

    /// <summary>Validation is the OIV's (CanValidate); every other step is the strategic-control office's (CanAdvanceYear).</summary>
    private bool Allowed(ObjectivesV1.YearState to) =>
        to == ObjectivesV1.YearState.Validated ? permissions.CanValidate : permissions.CanAdvanceYear;

    public static ObjectivesV1.YearState? NextOf(ObjectivesV1.YearState state) => state switch
    {
        ObjectivesV1.YearState.Planning => ObjectivesV1.YearState.Monitoring,
        ObjectivesV1.YearState.Monitoring => ObjectivesV1.YearState.Final,
        ObjectivesV1.YearState.Final => ObjectivesV1.YearState.Validated,
        ObjectivesV1.YearState.Validated => ObjectivesV1.YearState.Published,
        _ => null,
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostAdvanceAsync(CancellationToken ct)
    {
        if (!Steps.Contains(To)) return BadRequest();
        if (!Allowed(To)) return StatusCode(StatusCodes.Status403Forbidden);
        try
        {
            await workflow.AdvanceYearAsync(new ObjectivesV1.AdvanceYearRequest { Year = Year, To = To, Note = Note?.Trim() ?? "" }, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode is GrpcStatus.FailedPrecondition or GrpcStatus.InvalidArgument or GrpcStatus.NotFound)
        {
            if (!await LoadAsync(ct)) return NotFoundPage();
            ServiceDetail = e.Status.Detail;
            if (e.StatusCode == GrpcStatus.FailedPrecondition && To == ObjectivesV1.YearState.Validated && Status!.UnexplainedDeviations.Count > 0)
            {
                RefusedForDeviations = true;
                return Refused(l["L'anno {0} non può essere validato: ci sono valori finali sotto 100 senza spiegazione ({1}). Nulla è cambiato.",
                    Year, Status.UnexplainedDeviations.Count]);
            }
            return Refused(e.StatusCode == GrpcStatus.FailedPrecondition && Status!.State != PreviousOf(To)
                ? l["Lo stato dell'anno è cambiato nel frattempo: ora è «{0}». Nulla è cambiato; ricontrollare e riprovare.", StateName(Status.State)]
                : l["Il passaggio non è stato possibile. Nulla è cambiato."]);
        }
        Done = l["L'anno {0} è passato a «{1}».", Year, StateName(To)];
        return RedirectToPage(new { anno = Year });
    }

    public async Task<IActionResult> OnPostReopenAsync(CancellationToken ct)
    {
        if (!permissions.CanValidate) return StatusCode(StatusCodes.Status403Forbidden);
        if (string.IsNullOrWhiteSpace(Reason))
        {
            if (!await LoadAsync(ct)) return NotFoundPage();
            ReasonMissing = true;
            return Refused(l["Scrivere il motivo della riapertura: è obbligatorio e resta nel registro. Nulla è cambiato."]);
        }
        try
        {
            await workflow.ReopenYearAsync(new ObjectivesV1.ReopenYearRequest { Year = Year, Reason = Reason.Trim() }, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode is GrpcStatus.FailedPrecondition or GrpcStatus.InvalidArgument or GrpcStatus.NotFound)
        {
            if (!await LoadAsync(ct)) return NotFoundPage();
            ServiceDetail = e.Status.Detail;
            return Refused(e.StatusCode == GrpcStatus.FailedPrecondition
                ? l["Solo un anno validato o pubblicato si riapre: ora è «{0}». Nulla è cambiato.", StateName(Status!.State)]
                : l["La riapertura non è stata possibile. Nulla è cambiato."]);
        }
        Done = l["L'anno {0} è stato riaperto: torna a «{1}».", Year, StateName(ObjectivesV1.YearState.Final)];
        return RedirectToPage(new { anno = Year });
    }

    private static ObjectivesV1.YearState? PreviousOf(ObjectivesV1.YearState to) =>
        Steps.Where(s => NextOf(s) == to).Cast<ObjectivesV1.YearState?>().FirstOrDefault();

    private PageResult Refused(LocalizedString message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private PageResult NotFoundPage()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var years = objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest(), cancellationToken: ct);
        try
        {
            Status = await workflow.GetYearStateAsync(new ObjectivesV1.GetYearStateRequest { Year = Year }, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode is GrpcStatus.NotFound or GrpcStatus.InvalidArgument)
        {
            Status = null;
        }
        Years = (await years).Years.Select(y => y.Year).Order().ToList();
        if (Status is null) return false;
        await LoadHistoryAsync(ct);
        return true;
    }

    /// <summary>The year's steps: its audit records of the field "state", oldest first.</summary>
    private async Task LoadHistoryAsync(CancellationToken ct)
    {
        var steps = new List<ObjectivesV1.AuditRecord>();
        var token = "";
        // A year's trail is read a thousand records at a time; twenty pages is far beyond a year's life.
        for (var page = 0; page < 20; page++)
        {
            ObjectivesV1.ListAuditRecordsResponse answer;
            try
            {
                answer = await audit.ListAuditRecordsAsync(new ObjectivesV1.ListAuditRecordsRequest
                {
                    Filter = new ObjectivesV1.AuditFilter { Year = Year }, PageSize = 1000, PageToken = token,
                }, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode is GrpcStatus.PermissionDenied)
            {
                // The steps come from the audit trail, which not every role may read: the rest of the page still shows.
                HistoryHidden = true;
                return;
            }
            steps.AddRange(answer.Records.Where(r => r.EntityKind == "year" && r.Field == "state"));
            token = answer.NextPageToken;
            if (token.Length == 0) break;
        }
        HistoryTruncated = token.Length > 0;
        History = steps;
    }

    public string StateName(ObjectivesV1.YearState state) => state switch
    {
        ObjectivesV1.YearState.Planning => l["Pianificazione"],
        ObjectivesV1.YearState.Monitoring => l["Monitoraggio (30 giugno)"],
        ObjectivesV1.YearState.Final => l["Valori finali (31 dicembre)"],
        ObjectivesV1.YearState.Validated => l["Validato dall'OIV"],
        ObjectivesV1.YearState.Published => l["Pubblicato"],
        _ => l["Sconosciuto"],
    };

    /// <summary>A state as the audit trail writes it ("final") in the reader's words.</summary>
    public string StateName(string recorded) =>
        Enum.TryParse<ObjectivesV1.YearState>(recorded, ignoreCase: true, out var s) ? StateName(s) : recorded;

    public string ActionName(ObjectivesV1.YearState to) => to switch
    {
        ObjectivesV1.YearState.Monitoring => l["Passa al monitoraggio (30 giugno)"],
        ObjectivesV1.YearState.Final => l["Passa ai valori finali (31 dicembre)"],
        ObjectivesV1.YearState.Validated => l["Registra la validazione dell'OIV"],
        ObjectivesV1.YearState.Published => l["Registra la pubblicazione"],
        _ => StateName(to),
    };

    /// <summary>A deviation's objective: its code, and where its page is (an operational objective's own page, a strategic objective's place in its area).</summary>
    public (string Code, string Href) Locate(ObjectivesV1.Deviation d)
    {
        var m = OperationalCode().Match(d.Code);
        if (m.Success) return (m.Groups[1].Value, Url.Page("/Obiettivo", new { id = m.Groups[2].Value })!);
        var area = d.Code.Split('.')[0];
        var href = Url.Page("/Area", new { anno = Year, numero = area })!;
        return (d.Code, $"{href}#so-{d.Code.TrimEnd('.').Replace('.', '-')}");
    }

    public static string Figure(double value) => value.ToString("N2", CultureInfo.CurrentCulture);

    [GeneratedRegex(@"^(\S+) \(operational (.+)\)$")]
    private static partial Regex OperationalCode();
}
