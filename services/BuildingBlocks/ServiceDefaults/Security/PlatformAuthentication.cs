using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace PerfPlatform.ServiceDefaults.Security;

/// <summary>Access control of a service host: bearer tokens, rights, the access tables (docs/security.md).</summary>
public static class PlatformAuthentication
{
    /// <summary>
    /// JwtBearer from the <c>Auth:*</c> settings (issuer = <c>Auth:Authority</c>, audience, lifetime, signature against the
    /// provider's published keys; claims as the token names them) and the global <see cref="RpcAccessInterceptor"/>, with
    /// the table of gRPC health (open) and reflection (any valid token). Idempotent: each service's registration calls it
    /// too (<see cref="AddRpcAccess"/>). Without <c>Auth:Authority</c> and without <c>Auth:Disabled=true</c> it throws
    /// <see cref="AuthSettingsException"/>, naming the setting: the host does not start.
    /// </summary>
    public static TBuilder AddPlatformAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(AuthSettings))) return builder;
        var settings = AuthSettings.From(builder.Configuration);
        if (!settings.Disabled && settings.Authority is null)
            throw new AuthSettingsException(
                $"{builder.Environment.ApplicationName} cannot start: Auth__Authority is not set. Set it to the identity provider's issuer " +
                "(docs/security.md, \"Settings of every host\"), or Auth__Disabled=true to accept every call as the system caller (tests and benches only).");

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<RpcAccessRules>();
        builder.Services.AddSingleton(DefaultTable());
        builder.Services.AddGrpc(o => o.Interceptors.Add<RpcAccessInterceptor>());
        builder.Services.AddHostedService<AuthNotice>();
        if (settings.Disabled) return builder;

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.Authority = settings.Authority;
            if (settings.MetadataAddress is { } metadata) o.MetadataAddress = metadata;
            o.Audience = settings.Audience;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = settings.Authority,
                ValidateAudience = true,
                ValidAudience = settings.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                ClockSkew = TimeSpan.FromMinutes(1),
                NameClaimType = "name",
                RoleClaimType = settings.RoleClaim,
            };
        });
        return builder;
    }

    /// <summary>Registers a service's access table (and the access control itself, once).</summary>
    public static IHostApplicationBuilder AddRpcAccess(this IHostApplicationBuilder builder, RpcAccessTable table)
    {
        builder.AddPlatformAuthentication();
        builder.Services.AddSingleton(table);
        return builder;
    }

    /// <summary>What every host serves besides its services: gRPC health open (probes), reflection for any valid token.</summary>
    public static RpcAccessTable DefaultTable()
    {
        var table = new RpcAccessTable();
        foreach (var service in Grpc.Health.V1.HealthReflection.Descriptor.Services) table.Add(service, RpcAccess.Open);
        foreach (var service in Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor.Services) table.Add(service, RpcAccess.Authenticated);
        foreach (var service in Grpc.Reflection.V1.ReflectionReflection.Descriptor.Services) table.Add(service, RpcAccess.Authenticated);
        return table;
    }

    /// <summary>Says at start what guards the host, loudly when nothing does.</summary>
    private sealed class AuthNotice(AuthSettings settings, ILogger<AuthNotice> log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (settings.Disabled)
                log.LogWarning("Auth:Disabled=true: tokens are not checked, every call acts as the system caller with every right. Never in production.");
            else
                log.LogInformation("Bearer tokens required: issuer {Authority}, audience {Audience}", settings.Authority, settings.Audience);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
