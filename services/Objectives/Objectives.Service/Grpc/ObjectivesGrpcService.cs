using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.ServiceDefaults.Security;
using PerfPlatform.Objectives.Application;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Spreadsheets;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Grpc;

/// <summary>The gRPC adapter: reads the request, calls the application, maps the answer. Errors are mapped by <see cref="PlanErrorInterceptor"/>.</summary>
public sealed class ObjectivesGrpcService(PlanQueries queries, PlanCommands commands, PlanImport import) : V1.Objectives.ObjectivesBase
{
    public override async Task<V1.YearTree> GetYearTree(V1.GetYearTreeRequest request, ServerCallContext context) =>
        (await queries.GetYearTreeAsync(request.Year, context.CancellationToken)).ToProto();

    public override async Task<V1.ListOperationalObjectivesResponse> ListOperationalObjectives(V1.ListOperationalObjectivesRequest r, ServerCallContext context)
    {
        var filter = new OperationalObjectiveFilter(
            r.Year, r.HasAreaNumber ? r.AreaNumber : null, Blank(r.StrategicObjectiveCode), Blank(r.Sector),
            r.BesDimension == V1.BesDimension.Unspecified ? null : ProtoMapping.FromProto(r.BesDimension),
            r.HasCrossCutting ? r.CrossCutting : null, r.HasInterSector ? r.InterSector : null, Blank(r.Funding), r.NotAssessed, Blank(r.Text));
        var items = await queries.ListAsync(filter, context.CancellationToken);
        var response = new V1.ListOperationalObjectivesResponse();
        response.Items.AddRange(items.Select(o => o.ToProto(r.Year, o.StrategicObjective.Code, o.StrategicObjective.Area.Number)));
        return response;
    }

    public override async Task<V1.OperationalObjective> GetOperationalObjective(V1.GetOperationalObjectiveRequest request, ServerCallContext context)
    {
        var oo = await queries.GetOperationalObjectiveAsync(ParseId(request.Id), context.CancellationToken);
        return oo.ToProto(await YearOf(oo.PlanYearId, context), oo.StrategicObjective.Code, oo.StrategicObjective.Area.Number);
    }

    public override async Task<V1.StrategicObjective> GetStrategicObjective(V1.GetStrategicObjectiveRequest request, ServerCallContext context)
    {
        var so = await queries.GetStrategicObjectiveAsync(request.Year, request.Code, context.CancellationToken);
        return so.ToProto(request.Year, so.Area.Number);
    }

    public override async Task<V1.Area> CreateArea(V1.CreateAreaRequest r, ServerCallContext context) =>
        (await commands.CreateAreaAsync(ProtoMapping.YearFromProto(r.Year, "year"), ProtoMapping.AreaNumberFromProto(r.Number, "number"), ProtoMapping.TextFromProto(r.Name, PlanText.AreaName, "name"),
            ProtoMapping.OptionalTextFromProto(r.Footnote, PlanText.Footnote, "footnote"), context.CancellationToken)).ToProto(r.Year);

    public override async Task<V1.Area> UpdateArea(V1.UpdateAreaRequest r, ServerCallContext context) =>
        (await commands.UpdateAreaAsync(ProtoMapping.YearFromProto(r.Year, "year"), r.Number, ProtoMapping.TextFromProto(r.Name, PlanText.AreaName, "name"),
            ProtoMapping.OptionalTextFromProto(r.Footnote, PlanText.Footnote, "footnote"), context.CancellationToken)).ToProto(r.Year);

    public override async Task<V1.StrategicObjective> CreateStrategicObjective(V1.CreateStrategicObjectiveRequest r, ServerCallContext context)
    {
        var so = await commands.CreateStrategicObjectiveAsync(ProtoMapping.YearFromProto(r.Year, "year"), ProtoMapping.CodeFromProto(r.Code, "code"),
            r.AreaNumber, ProtoMapping.TextFromProto(r.Title, PlanText.Title, "title"), context.CancellationToken);
        return so.ToProto(r.Year, so.Area.Number);
    }

    public override async Task<V1.StrategicObjective> UpdateStrategicObjective(V1.UpdateStrategicObjectiveRequest r, ServerCallContext context)
    {
        var so = await commands.UpdateStrategicObjectiveAsync(ProtoMapping.YearFromProto(r.Year, "year"), ProtoMapping.CodeFromProto(r.Code, "code"),
            ProtoMapping.OptionalTextFromProto(r.Title, PlanText.Title, "title"), r.HasAreaNumber ? r.AreaNumber : null,
            context.CancellationToken);
        return so.ToProto(r.Year, so.Area.Number);
    }

    public override async Task<V1.DeleteResponse> DeleteStrategicObjective(V1.DeleteStrategicObjectiveRequest r, ServerCallContext context)
    {
        await commands.DeleteStrategicObjectiveAsync(r.Year, r.Code, context.CancellationToken);
        return new V1.DeleteResponse { Version = (await queries.GetYearTreeAsync(r.Year, context.CancellationToken)).Version };
    }

    public override async Task<V1.OperationalObjective> CreateOperationalObjective(V1.CreateOperationalObjectiveRequest r, ServerCallContext context)
    {
        var oo = await commands.CreateOperationalObjectiveAsync(ProtoMapping.YearFromProto(r.Year, "year"),
            ProtoMapping.CodeFromProto(r.StrategicObjectiveCode, "strategic_objective_code"), ProtoMapping.TextFromProto(r.Title, PlanText.Title, "title"),
            ProtoMapping.SectorsFromProto(r.Sectors), r.HasWeight ? ProtoMapping.WeightFromProto(r.Weight, "weight") : null,
            ProtoMapping.FromProto(r.Indicators), context.CancellationToken);
        return oo.ToProto(r.Year, oo.StrategicObjective.Code, oo.StrategicObjective.Area.Number);
    }

    public override async Task<V1.OperationalObjective> UpdateOperationalObjective(V1.UpdateOperationalObjectiveRequest r, ServerCallContext context)
    {
        var oo = await commands.UpdateOperationalObjectiveAsync(ParseId(r.Id), r.HasTitle ? ProtoMapping.TextFromProto(r.Title, PlanText.Title, "title") : null,
            r.ReplaceSectors ? ProtoMapping.SectorsFromProto(r.Sectors) : null, r.HasWeight ? ProtoMapping.WeightFromProto(r.Weight, "weight") : null,
            r.ReplaceIndicators ? ProtoMapping.FromProto(r.Indicators) : null, context.CancellationToken);
        return oo.ToProto(await YearOf(oo.PlanYearId, context), oo.StrategicObjective.Code, oo.StrategicObjective.Area.Number);
    }

    public override async Task<V1.OperationalObjective> MoveOperationalObjective(V1.MoveOperationalObjectiveRequest r, ServerCallContext context)
    {
        var oo = await commands.MoveOperationalObjectiveAsync(ParseId(r.Id),
            ProtoMapping.CodeFromProto(r.TargetStrategicObjectiveCode, "target_strategic_objective_code"), context.CancellationToken);
        return oo.ToProto(await YearOf(oo.PlanYearId, context), oo.StrategicObjective.Code, oo.StrategicObjective.Area.Number);
    }

    public override async Task<V1.DeleteResponse> DeleteOperationalObjective(V1.DeleteOperationalObjectiveRequest r, ServerCallContext context)
    {
        var id = ParseId(r.Id);
        var oo = await queries.GetOperationalObjectiveAsync(id, context.CancellationToken);
        var year = await YearOf(oo.PlanYearId, context);
        await commands.DeleteOperationalObjectiveAsync(id, context.CancellationToken);
        return new V1.DeleteResponse { Version = (await queries.GetYearTreeAsync(year, context.CancellationToken)).Version };
    }

    public override async Task<V1.RealizationEntry> SetRealization(V1.SetRealizationRequest r, ServerCallContext context)
    {
        var realization = r.Realization.FromProto("realization");
        var asOf = ProtoMapping.AsOfFromProto(r.AsOf, "as_of");
        var note = ProtoMapping.OptionalTextFromProto(r.Note, PlanText.Note, "note");
        var entry = await commands.SetRealizationAsync(Target(r.TargetCase, r.OperationalObjectiveId, r.StrategicObjective),
            realization, asOf, note, context.CancellationToken);
        return entry.ToProto();
    }

    public override async Task<V1.RealizationHistory> GetRealizationHistory(V1.GetRealizationHistoryRequest r, ServerCallContext context)
    {
        var target = Target(r.TargetCase == V1.GetRealizationHistoryRequest.TargetOneofCase.OperationalObjectiveId
            ? V1.SetRealizationRequest.TargetOneofCase.OperationalObjectiveId
            : r.TargetCase == V1.GetRealizationHistoryRequest.TargetOneofCase.StrategicObjective
                ? V1.SetRealizationRequest.TargetOneofCase.StrategicObjective
                : V1.SetRealizationRequest.TargetOneofCase.None, r.OperationalObjectiveId, r.StrategicObjective);
        var entries = await queries.GetHistoryAsync(target.OperationalObjectiveId, target.Year, target.StrategicObjectiveCode, context.CancellationToken);
        var history = new V1.RealizationHistory();
        history.Entries.AddRange(entries.Select(e => e.ToProto()));
        return history;
    }

    public override async Task<V1.ImportDocumentResponse> ImportDocument(V1.ImportDocumentRequest r, ServerCallContext context)
    {
        var kind = r.Format switch
        {
            V1.DocumentFormat.RelazioneText => DocumentKind.RelazioneText,
            V1.DocumentFormat.Csv => DocumentKind.Csv,
            V1.DocumentFormat.Xlsx => DocumentKind.Xlsx,
            _ => throw new InvalidPlanInputException("format", "choose RELAZIONE_TEXT, CSV or XLSX"),
        };
        var outcome = PlanImport.Read(kind, r.Content.ToByteArray());
        var result = await import.ImportAsync(outcome, string.IsNullOrWhiteSpace(r.FileName) ? kind.ToString() : r.FileName,
            r.DryRun, r.ReplaceExisting, context.CancellationToken);
        var response = new V1.ImportDocumentResponse
        {
            DryRun = result.DryRun, Year = result.Plan.Year, Areas = result.Plan.Areas.Count,
            StrategicObjectives = result.Plan.Areas.Sum(a => a.StrategicObjectives.Count),
            OperationalObjectives = result.OperationalObjectives, Tree = result.Plan.ToProto(), Version = result.DryRun ? 0 : result.Plan.Version,
        };
        response.Warnings.AddRange(result.Warnings.Select(w => new V1.ImportProblem { Line = w.Line, Message = w.Message }));
        return response;
    }

    public override async Task<V1.ExportYearResponse> ExportYear(V1.ExportYearRequest r, ServerCallContext context)
    {
        var document = PlanImport.ToDocument(await queries.GetYearTreeAsync(r.Year, context.CancellationToken));
        return r.Format switch
        {
            V1.DocumentFormat.Csv => new V1.ExportYearResponse
            {
                Content = Google.Protobuf.ByteString.CopyFrom(PlanSpreadsheet.ExportCsv(document)),
                ContentType = "text/csv; charset=utf-8", FileName = $"piano-{r.Year}.csv",
            },
            V1.DocumentFormat.Xlsx => new V1.ExportYearResponse
            {
                Content = Google.Protobuf.ByteString.CopyFrom(PlanSpreadsheet.ExportXlsx(document)),
                ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileName = $"piano-{r.Year}.xlsx",
            },
            _ => throw new InvalidPlanInputException("format", "a year exports as CSV or XLSX"),
        };
    }

    public override async Task<V1.RepublishYearResponse> RepublishYear(V1.RepublishYearRequest r, ServerCallContext context)
    {
        var plan = await commands.RepublishYearAsync(r.Year, context.CancellationToken);
        return new V1.RepublishYearResponse { Version = plan.Version, StrategicObjectives = plan.Areas.Sum(a => a.StrategicObjectives.Count) };
    }

    public override async Task<V1.ListYearsResponse> ListYears(V1.ListYearsRequest r, ServerCallContext context)
    {
        var years = await queries.ListYearsAsync(context.CancellationToken);
        // Anonymous callers (ObjectivesAccess) see the published years only.
        if (!context.GetCaller().Has(Rights.PlanRead))
        {
            var published = await context.GetHttpContext().RequestServices.GetRequiredService<ObjectivesPublishedYears>().PublishedAsync(context.CancellationToken);
            years = years.Where(y => published.Contains(y.Year)).ToList();
        }
        var response = new V1.ListYearsResponse();
        response.Years.AddRange(years.Select(y => new V1.YearSummary { Year = y.Year, Version = y.Version, EntityName = y.EntityName }));
        return response;
    }

    private static RealizationTarget Target(V1.SetRealizationRequest.TargetOneofCase kind, string operationalId, V1.StrategicObjectiveRef? strategic) =>
        kind switch
        {
            V1.SetRealizationRequest.TargetOneofCase.OperationalObjectiveId => new RealizationTarget(ParseId(operationalId, "operational_objective_id"), null, null),
            V1.SetRealizationRequest.TargetOneofCase.StrategicObjective => new RealizationTarget(null,
                ProtoMapping.YearFromProto(strategic!.Year, "strategic_objective.year"), ProtoMapping.CodeFromProto(strategic.Code, "strategic_objective.code")),
            _ => throw new InvalidPlanInputException("target", "name an operational_objective_id or a strategic_objective (year and code)"),
        };

    private async Task<int> YearOf(Guid planYearId, ServerCallContext context) =>
        await queries.YearNumberAsync(planYearId, context.CancellationToken);

    private static Guid ParseId(string id) => ParseId(id, "id");

    internal static Guid ParseId(string id, string field) =>
        Guid.TryParse(id, out var g) ? g : throw new InvalidPlanInputException(field, $"\"{id}\" is not an objective id (a UUID)");

    private static string? Blank(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
