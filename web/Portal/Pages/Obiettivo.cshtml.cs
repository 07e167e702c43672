using Grpc.Core;
using GrpcStatus = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PerfPlatform.Portal.Services;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>One operational objective: everything the plan says of it, its value history, and the value form.</summary>
public sealed class ObiettivoModel(
    ObjectivesV1.Objectives.ObjectivesClient objectives, ObjectivesV1.YearWorkflow.YearWorkflowClient workflow,
    IPortalPermissions permissions, IStringLocalizer<ObiettivoModel> l) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty] public string? Value { get; set; }
    [BindProperty] public bool NotAssessedValue { get; set; }
    [BindProperty] public string? AsOf { get; set; }
    [BindProperty] public string? Note { get; set; }

    public ObjectivesV1.OperationalObjective? Objective { get; private set; }
    public IReadOnlyList<ObjectivesV1.RealizationEntry> History { get; private set; } = [];
    public ObjectivesV1.YearStatus? Status { get; private set; }
    public bool CanEdit => Objective is { } o && permissions.CanEditValues(o);
    /// <summary>The refusal in the reader's language, or null.</summary>
    public string? Error { get; private set; }
    public string? ServiceDetail { get; private set; }
    [TempData] public string? Saved { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (!CanEdit) return Forbid();
        var realization = new ObjectivesV1.Realization();
        if (NotAssessedValue) realization.NotAssessed = true;
        else
        {
            switch (ValueInput.TryRead(Value, out var v))
            {
                case ValueInput.Problem.Empty:
                    return Refused(l["Inserire un valore da 0 a 100, oppure scegliere «non valutato»."]);
                case ValueInput.Problem.NotANumber:
                    return Refused(l["«{0}» non è un numero: scrivere una percentuale da 0 a 100, per esempio 87,5.", Value!]);
            }
            realization.Value = v;
        }
        try
        {
            await objectives.SetRealizationAsync(new ObjectivesV1.SetRealizationRequest
            {
                OperationalObjectiveId = Id, Realization = realization, AsOf = AsOf ?? "", Note = Note ?? "",
            }, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode is GrpcStatus.InvalidArgument or GrpcStatus.FailedPrecondition)
        {
            ServiceDetail = e.Status.Detail;
            // The service's rules, worded for staff; its own words stay beside them.
            var message = e.StatusCode == GrpcStatus.FailedPrecondition
                ? l["L'anno è chiuso: i valori non si possono cambiare."]
                : realization.KindCase == ObjectivesV1.Realization.KindOneofCase.Value && realization.Value is < 0 or > 100
                    ? l["Il valore deve essere compreso tra 0 e 100 (è stato scritto {0}).", Value!]
                    : e.Status.Detail.Contains("as_of", StringComparison.OrdinalIgnoreCase)
                        ? l["La data di riferimento non è valida."]
                        : l["Il valore ha al massimo due decimali."];
            return Refused(message);
        }
        Saved = l["Valore salvato."];
        return RedirectToPage(new { id = Id });
    }

    private PageResult Refused(LocalizedString message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        try
        {
            Objective = await objectives.GetOperationalObjectiveAsync(new ObjectivesV1.GetOperationalObjectiveRequest { Id = Id }, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode is GrpcStatus.NotFound or GrpcStatus.InvalidArgument)
        {
            return false;
        }
        var history = objectives.GetRealizationHistoryAsync(new ObjectivesV1.GetRealizationHistoryRequest { OperationalObjectiveId = Id }, cancellationToken: ct);
        var status = workflow.GetYearStateAsync(new ObjectivesV1.GetYearStateRequest { Year = Objective.Year }, cancellationToken: ct);
        History = (await history).Entries.Reverse().ToList();
        try { Status = await status; }
        catch (RpcException e) when (e.StatusCode is GrpcStatus.Unauthenticated or GrpcStatus.PermissionDenied) { Status = null; } // the workflow's state is not for every reader
        AsOf ??= $"{Objective.Year}-12-31";
        return true;
    }

    /// <summary>A final value below 100 still without its explanation, for this objective.</summary>
    public bool NeedsExplanation => Status is { } s && Objective is { } o
        && s.UnexplainedDeviations.Any(d => d.Code == o.StrategicObjectiveCode || d.Code == o.Id);

    public static string Show(ObjectivesV1.Realization? r) => r switch
    {
        null => "",
        { KindCase: ObjectivesV1.Realization.KindOneofCase.Value } => r.Value.ToString("N2", System.Globalization.CultureInfo.CurrentCulture),
        { KindCase: ObjectivesV1.Realization.KindOneofCase.NotAssessed } => "/",
        _ => "",
    };

    public static string Bes(ObjectivesV1.BesDimension d) => d.ToString(); // enum names are the BES words (Istituzionale, ...)
}
