using PerfPlatform.ServiceDefaults.Security;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace PerfPlatform.Portal.Services;

/// <summary>The claim types of the portal's own principal, whatever the provider calls them (see <see cref="PortalAuthSettings"/>).</summary>
public static class PortalClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Sector = "sector";
}

/// <summary>The five roles (docs/security.md), as ServiceDefaults' Roles names them.</summary>
public static class PortalRoles
{
    public const string Admin = Roles.Admin;
    public const string StrategicControl = Roles.StrategicControl;
    public const string SectorManager = Roles.SectorManager;
    public const string Oiv = Roles.Oiv;
    public const string Viewer = Roles.Viewer;
    public static IReadOnlyList<string> All => Roles.All;
}

/// <summary>The section <c>Auth</c> as the portal reads it.</summary>
public sealed record PortalAuthSettings
{
    public bool Disabled { get; init; }
    public string? Authority { get; init; }
    public string? MetadataAddress { get; init; }
    public string ClientId { get; init; } = "portal";
    public string? ClientSecret { get; init; }
    public bool RequireHttpsMetadata { get; init; } = true;
    public string RoleClaim { get; init; } = PortalClaims.Role;
    public string SectorClaim { get; init; } = PortalClaims.Sector;
    /// <summary>Space-separated; offline_access for a refresh token (the session then outlives one access token).</summary>
    public string Scopes { get; init; } = "openid profile offline_access";

    public static PortalAuthSettings From(IConfiguration configuration)
    {
        var auth = configuration.GetSection("Auth");
        string? Text(string key) => string.IsNullOrWhiteSpace(auth[key]) ? null : auth[key]!.Trim();
        return new PortalAuthSettings
        {
            Disabled = auth.GetValue("Disabled", false),
            Authority = Text("Authority"),
            MetadataAddress = Text("MetadataAddress"),
            ClientId = Text("ClientId") ?? "portal",
            // Auth:PortalClientSecret is the name compose and Kubernetes already use for the portal's secret.
            ClientSecret = Text("ClientSecret") ?? Text("PortalClientSecret"),
            RequireHttpsMetadata = auth.GetValue("RequireHttpsMetadata", true),
            RoleClaim = Text("RoleClaim") ?? PortalClaims.Role,
            SectorClaim = Text("SectorClaim") ?? PortalClaims.Sector,
            Scopes = Text("Scopes") ?? "openid profile offline_access",
        };
    }

    /// <summary>The provider's origin, for the CSP's form-action (logout posts a form that ends at the provider).</summary>
    public string? AuthorityOrigin =>
        !Disabled && Uri.TryCreate(Authority, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
}

/// <summary>
/// Login and logout: a cookie session from OpenID Connect (code flow with PKCE, client <c>portal</c>), tokens saved in
/// the session and refreshed before they expire. <c>Auth:Disabled=true</c> keeps the portal open, every action allowed.
/// </summary>
public static class PortalAuth
{
    public const string LoginPath = "/accedi";
    public const string LogoutPath = "/esci";

    public static WebApplicationBuilder AddPortalAuth(this WebApplicationBuilder builder)
    {
        var settings = PortalAuthSettings.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddHttpContextAccessor();
        services.AddSingleton<UserAccessToken>();

        // Behind the gateway: the browser's scheme and host (redirect URIs, Secure cookies, HSTS) come from X-Forwarded-*.
        // Only the gateway reaches the portal (NetworkPolicy), one hop: trust that hop whatever its address.
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            o.ForwardLimit = 1;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "perf.antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SuppressXFrameOptionsHeader = true; // SecurityHeaders sends DENY (and the CSP's frame-ancestors 'none')
        });
        services.AddAuthorization();
        var authentication = services.AddAuthentication(o =>
        {
            o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
        });

        if (settings.Disabled)
        {
            services.AddSingleton<IPortalPermissions, AllowEverything>();
            return builder;
        }
        var missing = new[] { ("Auth__Authority", settings.Authority), ("Auth__ClientSecret", settings.ClientSecret) }
            .Where(s => s.Item2 is null).Select(s => s.Item1).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"The portal cannot start: {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not set. Set the provider " +
                "(docs/security.md), or Auth__Disabled=true for tests that are not about access control.");

        services.AddScoped<IPortalPermissions>(sp =>
            new ClaimsPortalPermissions(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User ?? new ClaimsPrincipal()));

        authentication
            .AddCookie(o =>
            {
                o.Cookie.Name = "perf.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = LoginPath;
                // Not /account/...: the gateway sends that to the provider.
                o.AccessDeniedPath = "/Errore";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = TokenRefresh.ValidateAsync;
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = settings.Authority;
                if (settings.MetadataAddress is { } metadata) o.MetadataAddress = metadata;
                o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                o.ClientId = settings.ClientId;
                o.ClientSecret = settings.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                // The answer comes back as a top-level GET: SameSite=Lax cookies travel with it, even from another site's provider.
                o.ResponseMode = "query";
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = PortalClaims.Name;
                o.TokenValidationParameters.RoleClaimType = PortalClaims.Role;
                o.Scope.Clear();
                o.Scope.Add("openid");
                foreach (var scope in settings.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "openid")) o.Scope.Add(scope);
                o.SignedOutRedirectUri = "/";
                o.Events.OnTokenValidated = context =>
                {
                    context.Principal = PortalPrincipal(context.Principal!, context.TokenEndpointResponse?.AccessToken, settings);
                    return Task.CompletedTask;
                };
            });
        return builder;
    }

    /// <summary>
    /// The session's principal: subject, name, roles and sectors, from the ID token and the access token (where the contract
    /// puts roles and sectors), under the portal's claim types whatever the provider names them, so that User.IsInRole works.
    /// </summary>
    public static ClaimsPrincipal PortalPrincipal(ClaimsPrincipal fromIdToken, string? accessToken, PortalAuthSettings settings)
    {
        var claims = fromIdToken.Claims.ToList();
        var handler = new JsonWebTokenHandler();
        // Read, not validated: it came straight from the token endpoint, and every service validates it on every call.
        if (accessToken is not null && handler.CanReadToken(accessToken)) claims.AddRange(handler.ReadJsonWebToken(accessToken).Claims);
        string? First(params string[] types) =>
            types.Select(t => claims.FirstOrDefault(c => c.Type == t && c.Value.Length > 0)?.Value).FirstOrDefault(v => v is not null);
        IEnumerable<string> All(string type) => claims.Where(c => c.Type == type)
            .SelectMany(c => c.Value.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(c.Value) ?? [] : [c.Value])
            .Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal);

        var identity = new ClaimsIdentity(fromIdToken.Identity?.AuthenticationType ?? "oidc", PortalClaims.Name, PortalClaims.Role);
        var subject = First("sub", "oid") ?? "";
        identity.AddClaim(new Claim(PortalClaims.Subject, subject));
        identity.AddClaim(new Claim(PortalClaims.Name, First("name", "preferred_username", "upn") ?? subject));
        if (First("preferred_username") is { } username) identity.AddClaim(new Claim("preferred_username", username));
        foreach (var role in All(settings.RoleClaim)) identity.AddClaim(new Claim(PortalClaims.Role, role));
        foreach (var sector in All(settings.SectorClaim)) identity.AddClaim(new Claim(PortalClaims.Sector, sector));
        return new ClaimsPrincipal(identity);
    }

    /// <summary><c>GET /accedi?returnUrl=</c> starts the login; <c>POST /esci</c> (antiforgery token required) ends it, at the provider too.</summary>
    public static WebApplication MapPortalAuth(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<PortalAuthSettings>();
        app.MapGet(LoginPath, (HttpContext context, string? returnUrl) =>
        {
            var target = LocalUrl(returnUrl);
            if (settings.Disabled || context.User.Identity?.IsAuthenticated == true) return Results.LocalRedirect(target);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [OpenIdConnectDefaults.AuthenticationScheme]);
        });
        app.MapPost(LogoutPath, async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest();
            if (settings.Disabled || context.User.Identity?.IsAuthenticated != true) return Results.LocalRedirect("/");
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
        });
        return app;
    }

    /// <summary>Only a path of this site (no open redirect): "/x?y" yes, "//evil", "https://evil", "/\evil" no.</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}

/// <summary>
/// Renews the access token with the refresh token a couple of minutes before it expires; without a refresh token, or
/// when the provider refuses, the session ends (the reader is anonymous again and logs in anew).
/// </summary>
public static class TokenRefresh
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(2);

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (!DateTimeOffset.TryParse(context.Properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiresAt)
            || expiresAt - DateTimeOffset.UtcNow > Margin)
            return;
        var log = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TokenRefresh));
        var tokens = await RefreshAsync(context, log);
        if (tokens is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        context.Properties.StoreTokens(tokens);
        context.ShouldRenew = true;
    }

    private static async Task<List<AuthenticationToken>?> RefreshAsync(CookieValidatePrincipalContext context, ILogger log)
    {
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        if (string.IsNullOrEmpty(refreshToken)) return null;
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>()
            .Get(OpenIdConnectDefaults.AuthenticationScheme);
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
            using var response = await options.Backchannel.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
                ["client_id"] = options.ClientId!, ["client_secret"] = options.ClientSecret!,
            }), context.HttpContext.RequestAborted);
            if (!response.IsSuccessStatusCode)
            {
                log.LogInformation("The provider refused to refresh the session of {User} ({Status}); it ends", context.Principal?.Identity?.Name, (int)response.StatusCode);
                return null;
            }
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(context.HttpContext.RequestAborted));
            var root = body.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (Text("access_token") is not { } accessToken) return null;
            var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 300;
            var tokens = context.Properties.GetTokens().Where(t => t.Name is not ("access_token" or "refresh_token" or "expires_at" or "id_token")).ToList();
            tokens.Add(new AuthenticationToken { Name = "access_token", Value = accessToken });
            tokens.Add(new AuthenticationToken { Name = "refresh_token", Value = Text("refresh_token") ?? refreshToken });
            tokens.Add(new AuthenticationToken { Name = "id_token", Value = Text("id_token") ?? context.Properties.GetTokenValue("id_token") ?? "" });
            tokens.Add(new AuthenticationToken
            {
                Name = "expires_at", Value = DateTimeOffset.UtcNow.AddSeconds(expiresIn).ToString("o", CultureInfo.InvariantCulture),
            });
            return tokens;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or IOException)
        {
            log.LogWarning(ex, "Refreshing the session of {User} failed; it ends", context.Principal?.Identity?.Name);
            return null;
        }
    }
}

/// <summary>The signed-in reader's access token, for the calls made on their behalf; null for an anonymous reader.</summary>
public sealed class UserAccessToken(IHttpContextAccessor accessor, PortalAuthSettings settings)
{
    public Task<string?> GetAsync() => GetAsync(accessor.HttpContext);

    public async Task<string?> GetAsync(HttpContext? context)
    {
        if (settings.Disabled || context?.User.Identity?.IsAuthenticated != true) return null;
        return await context.GetTokenAsync(CookieAuthenticationDefaults.AuthenticationScheme, "access_token");
    }
}
