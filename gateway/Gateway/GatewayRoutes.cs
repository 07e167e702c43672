using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace PerfPlatform.Gateway;

/// <summary>
/// The routes, built from the service addresses (Services:Objectives, Services:Scoring, Services:Reporting,
/// Services:Portal, Services:Identity; Services:BenchEcho for the dashboard bench only):
/// each gRPC package (every service in it, e.g. perf.objectives.v1.*) to its service over cleartext HTTP/2, on the
/// gRPC listener only; the embedded identity provider's paths (/connect/*, /.well-known/*, /account/*: OpenID Connect,
/// discovery and keys, the login pages and their stylesheet) to Identity.Host and everything else to the portal, on
/// the browser listener only (see <see cref="Listeners"/>). The identity provider then sees the gateway's scheme and
/// host in X-Forwarded-Proto and X-Forwarded-Host (YARP's defaults), so that its redirects name the gateway, and its
/// issuer (Auth:Issuer) is the gateway's browser URL, the same for browsers and services.
/// </summary>
public static class GatewayRoutes
{
    public static IReverseProxyBuilder AddPlatformRoutes(this IServiceCollection services, IConfiguration configuration)
    {
        string Address(string service) => configuration[$"Services:{service}"]
            ?? throw new InvalidOperationException($"Services:{service} is not set: the gateway needs the {service} address (e.g. http://{service.ToLowerInvariant()}:port)");

        var grpc = new ForwarderRequestConfig { Version = new Version(2, 0), VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var clusters = new List<ClusterConfig>
        {
            Cluster("objectives", Address("Objectives"), grpc),
            Cluster("scoring", Address("Scoring"), grpc),
            Cluster("reporting", Address("Reporting"), grpc),
        };
        var routes = new List<RouteConfig>
        {
            Route("objectives-grpc", "objectives", "/perf.objectives.v1.{service}/{**method}", Listeners.Grpc),
            Route("scoring-grpc", "scoring", "/perf.scoring.v1.{service}/{**method}", Listeners.Grpc),
            Route("reporting-grpc", "reporting", "/perf.reporting.v1.{service}/{**method}", Listeners.Grpc),
        };
        // The dashboard bench's bare gRPC echo (bench/Platform.Bench/EchoServer.cs), set by bench/dashboard-platform.sh only:
        // GetScorecard's throughput through the gateway is judged beside the echo's through the same gateway.
        if (configuration["Services:BenchEcho"] is { Length: > 0 } echo)
        {
            clusters.Add(Cluster("bench-echo", echo, grpc));
            routes.Add(Route("bench-echo-grpc", "bench-echo", "/perf.bench.v1.{service}/{**method}", Listeners.Grpc));
        }
        if (configuration["Services:Portal"] is { Length: > 0 } portal)
        {
            clusters.Add(Cluster("portal", portal, null));
            routes.Add(Route("portal", "portal", "/{**path}", Listeners.Browser) with { Order = 1000 });
        }
        if (configuration["Services:Identity"] is { Length: > 0 } identity)
        {
            clusters.Add(Cluster("identity", identity, null));
            routes.Add(Route("identity-connect", "identity", "/connect/{**path}", Listeners.Browser));
            routes.Add(Route("identity-well-known", "identity", "/.well-known/{**path}", Listeners.Browser));
            routes.Add(Route("identity-account", "identity", "/account/{**path}", Listeners.Browser));
        }
        return services.AddReverseProxy().LoadFromMemory(routes, clusters);
    }

    private static ClusterConfig Cluster(string id, string address, ForwarderRequestConfig? request) => new()
    {
        ClusterId = id,
        HttpRequest = request,
        Destinations = new Dictionary<string, DestinationConfig> { [id] = new() { Address = address } },
    };

    private static RouteConfig Route(string id, string cluster, string path, string listener) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path },
        Metadata = new Dictionary<string, string> { [Listeners.MetadataKey] = listener },
    };
}
