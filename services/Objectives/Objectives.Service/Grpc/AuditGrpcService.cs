using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PerfPlatform.Objectives.Application;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Grpc;

/// <summary>The audit trail and the archived years over gRPC: reads only.</summary>
public sealed class AuditGrpcService(AuditQueries audit, PlanQueries queries) : V1.ObjectivesAudit.ObjectivesAuditBase
{
    public override async Task<V1.ListAuditRecordsResponse> ListAuditRecords(V1.ListAuditRecordsRequest r, ServerCallContext context)
    {
        var page = await audit.ListAsync(Filter(r.Filter), r.PageToken, r.PageSize, context.CancellationToken);
        var response = new V1.ListAuditRecordsResponse { NextPageToken = page.NextPageToken };
        response.Records.AddRange(page.Records.Select(ToProto));
        return response;
    }

    public override async Task<V1.ExportAuditRecordsResponse> ExportAuditRecords(V1.ExportAuditRecordsRequest r, ServerCallContext context)
    {
        var filter = Filter(r.Filter);
        return new V1.ExportAuditRecordsResponse
        {
            Content = ByteString.CopyFrom(await audit.ExportCsvAsync(filter, context.CancellationToken)),
            ContentType = "text/csv; charset=utf-8",
            FileName = filter.Year is { } y ? $"audit-{y}.csv" : "audit.csv",
        };
    }

    public override async Task<V1.ListArchivedYearsResponse> ListArchivedYears(V1.ListArchivedYearsRequest r, ServerCallContext context)
    {
        var response = new V1.ListArchivedYearsResponse();
        response.Archives.AddRange((await queries.ListArchivesAsync(r.Year, context.CancellationToken)).Select(a => new V1.ArchivedYear
        {
            ArchiveId = a.Id.ToString(), Year = a.Year, Version = a.Version, SourceDocument = a.SourceDocument ?? "",
            ArchivedAt = Timestamp.FromDateTimeOffset(a.ArchivedAt!.Value), ArchivedBy = a.ArchivedBy ?? "",
        }));
        return response;
    }

    public override async Task<V1.YearTree> GetArchivedYear(V1.GetArchivedYearRequest r, ServerCallContext context) =>
        (await queries.GetArchivedYearAsync(ParseArchiveId(r.ArchiveId), context.CancellationToken)).ToProto();

    private static AuditFilter Filter(V1.AuditFilter? f) => f is null
        ? new AuditFilter()
        : new AuditFilter(f.HasYear ? f.Year : null, Blank(f.Objective), Blank(f.Actor), f.From?.ToDateTimeOffset(), f.To?.ToDateTimeOffset());

    private static V1.AuditRecord ToProto(Infrastructure.AuditRecord a) => new()
    {
        Id = a.Id, At = Timestamp.FromDateTimeOffset(a.At), Actor = a.Actor, ActorSubject = a.ActorSubject ?? "", Year = a.Year, Version = a.Version, Change = a.Change,
        EntityKind = a.EntityKind, Entity = a.EntityKey, ObjectiveCode = a.ObjectiveCode ?? "", Field = a.Field,
        OldValue = a.OldValue ?? "", HasOldValue = a.OldValue is not null, NewValue = a.NewValue ?? "", HasNewValue = a.NewValue is not null,
        Note = a.Note ?? "", TraceId = a.TraceId ?? "",
    };

    private static Guid ParseArchiveId(string id) =>
        Guid.TryParse(id, out var g) ? g : throw new Domain.Plan.InvalidPlanInputException("archive_id", $"\"{id}\" is not an archive id (a UUID)");

    private static string? Blank(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
