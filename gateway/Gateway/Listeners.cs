using Yarp.ReverseProxy.Model;

namespace PerfPlatform.Gateway;

/// <summary>
/// Which of the gateway's listeners a route is served on. gRPC routes answer only on the gRPC listener and the
/// portal only on the browser listener, so an Ingress that exposes the browser port exposes the portal alone
/// (an HTTP/1.1 request with content-type application/grpc there gets 404, like any unknown path).
/// The listener is told by the connection's local port, from the Kestrel endpoint settings.
/// </summary>
public static class Listeners
{
    public const string MetadataKey = "Listener";
    public const string Browser = "Http";
    public const string Grpc = "Grpc";

    public static IApplicationBuilder UseListenerIsolation(this IApplicationBuilder app, IConfiguration configuration)
    {
        var ports = new Dictionary<int, string>();
        foreach (var name in new[] { Browser, Grpc })
            if (Uri.TryCreate(configuration[$"Kestrel:Endpoints:{name}:Url"]?.Replace("0.0.0.0", "localhost").Replace("+", "localhost").Replace("*", "localhost"),
                    UriKind.Absolute, out var url) && url.Port > 0)
                ports[url.Port] = name;

        return app.Use(async (context, next) =>
        {
            var wanted = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.Metadata?.GetValueOrDefault(MetadataKey);
            if (wanted is not null && ports.TryGetValue(context.Connection.LocalPort, out var listener) && listener != wanted)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context);
        });
    }
}
