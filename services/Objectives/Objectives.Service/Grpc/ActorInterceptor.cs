using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.Objectives.Application;

namespace PerfPlatform.Objectives.Grpc;

/// <summary>
/// Fills the call's <see cref="ActorAccessor"/>: the authenticated user, else the caller's declared name
/// (x-perf-user) until access control lands. The one place that decides who a caller is.
/// </summary>
public sealed class ActorInterceptor : Interceptor
{
    public const string DeclaredUserHeader = "x-perf-user";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var http = context.GetHttpContext();
        http.RequestServices.GetRequiredService<ActorAccessor>().Current = Of(context);
        return continuation(request, context);
    }

    private static Actor Of(ServerCallContext context)
    {
        var user = context.GetHttpContext().User.Identity;
        if (user is { IsAuthenticated: true, Name: { Length: > 0 } name }) return new Actor(name);
        var declared = context.RequestHeaders.GetValue(DeclaredUserHeader);
        return string.IsNullOrWhiteSpace(declared) ? Actor.Anonymous : new Actor(declared.Trim());
    }
}
