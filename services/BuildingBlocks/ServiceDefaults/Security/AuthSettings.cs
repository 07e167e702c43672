using Microsoft.Extensions.Configuration;

namespace PerfPlatform.ServiceDefaults.Security;

/// <summary>The section <c>Auth</c> every service host reads (docs/security.md, "Settings of every host").</summary>
public sealed record AuthSettings
{
    public const string Section = "Auth";
    public const string DefaultAudience = "perf-platform";

    /// <summary><c>Auth:Disabled=true</c>: the explicit, logged opt-out for tests and benches; every call acts as the system caller.</summary>
    public bool Disabled { get; init; }
    /// <summary>The issuer, exactly as the tokens' <c>iss</c> writes it.</summary>
    public string? Authority { get; init; }
    /// <summary>Where discovery and keys are fetched when not from the issuer's own URL.</summary>
    public string? MetadataAddress { get; init; }
    public string Audience { get; init; } = DefaultAudience;
    public string RoleClaim { get; init; } = "role";
    public string SectorClaim { get; init; } = "sector";
    public bool RequireHttpsMetadata { get; init; } = true;
    /// <summary>Client credentials of a host that calls other services.</summary>
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }

    public static AuthSettings From(IConfiguration configuration)
    {
        var s = configuration.GetSection(Section);
        return new AuthSettings
        {
            Disabled = s.GetValue("Disabled", false),
            Authority = Blank(s["Authority"]),
            MetadataAddress = Blank(s["MetadataAddress"]),
            Audience = Blank(s["Audience"]) ?? DefaultAudience,
            RoleClaim = Blank(s["RoleClaim"]) ?? "role",
            SectorClaim = Blank(s["SectorClaim"]) ?? "sector",
            RequireHttpsMetadata = s.GetValue("RequireHttpsMetadata", true),
            ClientId = Blank(s["ClientId"]),
            ClientSecret = Blank(s["ClientSecret"]),
        };
    }

    private static string? Blank(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
}

/// <summary>A host cannot start: an access-control setting is missing (the message names it as an environment variable).</summary>
public sealed class AuthSettingsException(string message) : Exception(message);
