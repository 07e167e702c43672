using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PerfPlatform.Reporting.Application;
using PerfPlatform.Reporting.Domain;
using V1 = PerfPlatform.Reporting.V1;

namespace PerfPlatform.Reporting.Grpc;

/// <summary>The gRPC adapter of Reporting: reads the year from the read model, renders (or reuses) the report, streams it.</summary>
public sealed class ReportingGrpcService(YearSync sync, ReportCache cache) : V1.Reporting.ReportingBase
{
    public const int ChunkSize = 64 * 1024;

    public override async Task<V1.ListReportsResponse> ListReports(V1.ListReportsRequest request, ServerCallContext context)
    {
        var annex = await RequireYearAsync(request.Year, context.CancellationToken);
        var response = new V1.ListReportsResponse { Year = annex.Year, EntityName = annex.Plan.EntityName };
        response.Reports.AddRange(ReportKinds.All.Select(f => new V1.ReportInfo
        {
            Format = ToProto(f), ContentType = ReportKinds.ContentType(f), FileName = ReportKinds.FileName(f, annex.Year),
            PlanVersion = annex.Plan.Version, ScoreVersion = annex.Scores.Version, GeneratedAt = Timestamp.FromDateTimeOffset(annex.GeneratedAt),
        }));
        return response;
    }

    public override async Task GetReport(V1.GetReportRequest request, IServerStreamWriter<V1.ReportChunk> responseStream, ServerCallContext context)
    {
        var format = FromProto(request.Format);
        var annex = await RequireYearAsync(request.Year, context.CancellationToken);
        var content = cache.Get(annex, format);
        for (var offset = 0; offset < content.Length || offset == 0; offset += ChunkSize)
        {
            // The content is the cache's, never written again: the chunks wrap slices of it instead of copying each one.
            var chunk = new V1.ReportChunk { Data = UnsafeByteOperations.UnsafeWrap(content.AsMemory(offset, Math.Min(ChunkSize, content.Length - offset))) };
            if (offset == 0)
            {
                chunk.ContentType = ReportKinds.ContentType(format);
                chunk.FileName = ReportKinds.FileName(format, annex.Year);
                chunk.PlanVersion = annex.Plan.Version;
                chunk.ScoreVersion = annex.Scores.Version;
                chunk.GeneratedAt = Timestamp.FromDateTimeOffset(annex.GeneratedAt);
                chunk.TotalBytes = content.Length;
            }
            await responseStream.WriteAsync(chunk, context.CancellationToken);
            if (content.Length == 0) break;
        }
    }

    /// <summary>The year from the read model; a year not held is caught up from its owners first (NOT_FOUND if they lack it too).</summary>
    private async Task<Annex> RequireYearAsync(int year, CancellationToken ct)
    {
        if (await sync.ReadAsync(year, ct) is { } annex) return annex;
        if (year > 0 && await sync.CatchUpAsync(year, null, ct) && await sync.ReadAsync(year, ct) is { } caught) return caught;
        throw new RpcException(new Status(StatusCode.NotFound, $"year '{year}' not found: Objectives holds no plan for it"));
    }

    private static ReportFormat FromProto(V1.ReportFormat format) => format switch
    {
        V1.ReportFormat.Html => ReportFormat.Html,
        V1.ReportFormat.Pdf => ReportFormat.Pdf,
        V1.ReportFormat.Xlsx => ReportFormat.Xlsx,
        V1.ReportFormat.Csv => ReportFormat.Csv,
        V1.ReportFormat.Json => ReportFormat.Json,
        V1.ReportFormat.Metadata => ReportFormat.Metadata,
        _ => throw new RpcException(new Status(StatusCode.InvalidArgument,
            $"format: unknown report format '{format}'; choose HTML, PDF, XLSX, CSV, JSON or METADATA")),
    };

    private static V1.ReportFormat ToProto(ReportFormat format) => format switch
    {
        ReportFormat.Html => V1.ReportFormat.Html,
        ReportFormat.Pdf => V1.ReportFormat.Pdf,
        ReportFormat.Xlsx => V1.ReportFormat.Xlsx,
        ReportFormat.Csv => V1.ReportFormat.Csv,
        ReportFormat.Json => V1.ReportFormat.Json,
        _ => V1.ReportFormat.Metadata,
    };
}
