using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.Objectives.Application;
using PerfPlatform.ServiceDefaults.Security;

namespace PerfPlatform.Objectives.Grpc;

/// <summary>
/// Fills the call's <see cref="ActorAccessor"/> from the caller the access interceptor found in the bearer token (name,
/// subject, and a sector manager's sectors). The one place that decides who a caller is; no header can name one.
/// </summary>
public sealed class ActorInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var http = context.GetHttpContext();
        http.RequestServices.GetRequiredService<ActorAccessor>().Current = Of(context.GetCaller());
        return continuation(request, context);
    }

    public static Actor Of(Caller caller) => caller.Kind switch
    {
        CallerKind.Anonymous => Actor.Anonymous,
        CallerKind.System => new Actor(caller.Name),
        _ => new Actor(caller.Name, caller.Subject ?? caller.ClientId, caller.ValueSectors),
    };
}
