using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.Identity.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PerfPlatform.Identity;

/// <summary>
/// The embedded identity provider (issue 15, docs/security.md): OpenIddict's server with ASP.NET Core Identity's users
/// in the provider's own database (ConnectionStrings:IdentityDb; a SQLite file in DataDirectory by default).
/// Authorization code with PKCE (the portal), client credentials (services, city systems), refresh tokens,
/// userinfo, end session, discovery and keys. Access tokens are signed JWTs, not encrypted, for the audience
/// perf-platform, valid 15 minutes; the issuer is Auth:Issuer, the gateway's browser URL.
/// </summary>
public static class IdentityProvider
{
    public const string DatabaseName = "IdentityDb";
    public const string IssuerSetting = "Auth:Issuer";
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(15);

    public static WebApplicationBuilder AddIdentityProvider(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var issuer = new Uri(configuration[IssuerSetting]!, UriKind.Absolute);
        var dataDirectory = configuration["DataDirectory"] ?? Path.Combine(builder.Environment.ContentRootPath, ".data");
        Directory.CreateDirectory(dataDirectory);

        builder.AddServiceDatabase<IdentityDb, SqliteIdentityDb, PostgresIdentityDb>(DatabaseName, "identity.db");
        // Cookies and antiforgery tokens stay valid across a restart.
        builder.Services.AddDataProtection().SetApplicationName("perf-platform-identity")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "data-protection-keys")));

        builder.Services.AddIdentity<IdentityUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
                o.ClaimsIdentity.UserNameClaimType = Claims.Name;
                o.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                o.ClaimsIdentity.RoleClaimType = Claims.Role;
            })
            .AddEntityFrameworkStores<IdentityDb>()
            .AddDefaultTokenProviders();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "perf.identity";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/" + ConnectEndpoints.EndSession;
            o.AccessDeniedPath = "/account/login";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            var toLogin = o.Events.OnRedirectToLogin;
            o.Events.OnRedirectToLogin = context =>
            {
                // The language the client asked for (ui_locales) on the login page too.
                if (context.Properties.Items.TryGetValue("culture", out var culture) && culture is "en" or "it")
                    context.RedirectUri += "&culture=" + culture;
                return toLogin(context);
            };
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "perf.identity.antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        var signingKey = KeyMaterial.SigningKey(configuration, dataDirectory);
        var encryptionKey = KeyMaterial.EncryptionKey(configuration, dataDirectory);
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(o =>
            {
                o.SetIssuer(issuer);
                o.SetAuthorizationEndpointUris(ConnectEndpoints.Authorize)
                    .SetTokenEndpointUris(ConnectEndpoints.Token)
                    .SetUserInfoEndpointUris(ConnectEndpoints.UserInfo)
                    .SetEndSessionEndpointUris(ConnectEndpoints.EndSession);
                // PKCE with S256 only (no "plain").
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain))
                    .AllowClientCredentialsFlow()
                    .AllowRefreshTokenFlow();
                o.RegisterScopes([Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess, .. Catalogue.MachineScopes]);
                o.RegisterClaims([Claims.Subject, Claims.Name, Claims.PreferredUsername, Catalogue.RoleClaim, Catalogue.SectorClaim]);
                o.AddSigningKey(signingKey);
                o.AddEncryptionKey(encryptionKey);
                o.DisableAccessTokenEncryption();
                o.SetAccessTokenLifetime(AccessTokenLifetime);
                o.SetRefreshTokenLifetime(TimeSpan.FromHours(8));
                o.UseDynamicBackChannel();
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // TLS ends before the provider (Ingress, gateway); the issuer's scheme says what browsers see.
                    .DisableTransportSecurityRequirement();
            });

        builder.Services.AddLocalization();
        builder.Services.AddRazorPages(o => o.Conventions.AuthorizePage("/Account/ChangePassword"));
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Behind the gateway: its scheme and host make the redirects (the login page, back to /connect/authorize).
            // Only the gateway reaches the provider (the NetworkPolicies), so any proxy is trusted.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
        });
        builder.Services.AddHostedService<Seeding>();
        return builder;
    }

    public static WebApplication UseIdentityProvider(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        var cultures = new[] { new CultureInfo("it-IT"), new CultureInfo("en") };
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("it-IT"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            // The same cookie as the portal's language switch (the same site through the gateway).
            RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()],
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapRazorPages();
        app.MapConnectEndpoints();
        return app;
    }

    /// <summary>No inline script or style, no framing, no sniffing, no referrer to other sites.</summary>
    private static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
                return Task.CompletedTask;
            });
            return next(context);
        });
}
