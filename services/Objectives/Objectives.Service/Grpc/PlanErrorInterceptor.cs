using Grpc.Core;
using Grpc.Core.Interceptors;
using PerfPlatform.Objectives.Domain.Import;
using PerfPlatform.Objectives.Application;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Grpc;

/// <summary>Turns the plan's rule violations into gRPC status codes with a message a person can act on.</summary>
public sealed class PlanErrorInterceptor : Interceptor
{
    /// <summary>The detail travels in a header: long enough for a year's every unexplained deviation, well inside the header limits.</summary>
    private const int MaxDetail = 8000;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (Map(ex) is { } status)
        {
            var trailers = new Metadata();
            if (ex is PlanImportException import)
                foreach (var e in import.Errors.Take(50)) trailers.Add("import-error", $"{e.Line}: {e.Message}");
            throw new RpcException(status, trailers, status.Detail.Length > MaxDetail ? status.Detail[..MaxDetail] + " ..." : status.Detail);
        }
    }

    private static Status? Map(Exception ex) => ex switch
    {
        InvalidPlanInputException e => new Status(StatusCode.InvalidArgument, e.Message),
        PlanImportException e => new Status(StatusCode.InvalidArgument, "the document cannot be imported, nothing was stored: " + e.Message),
        PlanItemNotFoundException e => new Status(StatusCode.NotFound, e.Message),
        PlanItemExistsException e => new Status(StatusCode.AlreadyExists, e.Message),
        // The year's workflow state forbids it (locked, a step out of order, deviations without explanation).
        YearStateException e => new Status(StatusCode.FailedPrecondition, e.Message),
        // The right reaches other objectives only (a sector manager and another sector's objective).
        PlanAccessDeniedException e => new Status(StatusCode.PermissionDenied, e.Message),
        _ => null,
    };
}
