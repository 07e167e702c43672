using System.Threading.RateLimiting;

namespace PerfPlatform.Gateway;

/// <summary>
/// A token bucket per client (its IP address until access control names the client), so one runaway caller cannot
/// starve the others. Settings: Gateway:RateLimit:PermitsPerSecond (default 500) and Gateway:RateLimit:Burst
/// (default 1000); 0 turns the limit off. A refused request gets 429 (gRPC clients see UNAVAILABLE or
/// RESOURCE_EXHAUSTED). Health endpoints are never limited.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddClientRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perSecond = configuration.GetValue("Gateway:RateLimit:PermitsPerSecond", 500);
        var burst = configuration.GetValue("Gateway:RateLimit:Burst", 2 * perSecond);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                perSecond <= 0 || context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz")
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = Math.Max(burst, 1),
                        // Refilled every 100 ms, not once a second, so the permits come evenly.
                        TokensPerPeriod = Math.Max(perSecond / 10, 1),
                        ReplenishmentPeriod = TimeSpan.FromMilliseconds(perSecond >= 10 ? 100 : 1000 / perSecond),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
        });
        return services;
    }
}
