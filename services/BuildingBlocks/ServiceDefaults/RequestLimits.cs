using Microsoft.Extensions.Configuration;

namespace PerfPlatform.ServiceDefaults;

/// <summary>
/// One request-size limit for the whole path, gateway to service (Limits:MaxRequestBytes, default 64 MiB): a
/// document the gateway lets through is one the service accepts, and the other way round.
/// </summary>
public static class RequestLimits
{
    public const int DefaultMaxRequestBytes = 64 * 1024 * 1024;

    public static int MaxRequestBytes(IConfiguration configuration) =>
        configuration.GetValue("Limits:MaxRequestBytes", DefaultMaxRequestBytes);
}
