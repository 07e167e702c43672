using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using PerfPlatform.ServiceDefaults;

namespace PerfPlatform.Portal.Persistence;

/// <summary>
/// The portal's Data Protection key ring (session cookie, antiforgery tokens, OpenID Connect state) kept in the portal's
/// own database, so that every replica reads what another one protected and a restart logs nobody out.
/// <c>ConnectionStrings:PortalDb</c>: PostgreSQL when it names a Host (the services' rule, <see cref="DatabaseProviders"/>), else a SQLite file, by
/// default <c>portal.db</c> in <c>DataDirectory</c> (<c>.data</c> under the content root), the services' convention.
/// </summary>
/// <remarks>
/// Not BuildingBlocks' AddServiceDatabase: that project brings MassTransit, the outbox interceptor and the reconciliation
/// client into the portal, which publishes nothing, and its pooled context is for hot paths; a key ring is read at start
/// and then about once a day. What the portal needs of it is the provider rule and migrate-before-serving, a few lines here.
/// </remarks>
public static class PortalKeyRing
{
    public const string ConnectionName = "PortalDb";
    /// <summary>The same for every replica: Data Protection isolates applications by this name, not by the keys alone.</summary>
    public const string ApplicationName = "perf-platform-portal";
    /// <summary>A PKCS#12 file (certificate with its private key) that encrypts the keys at rest; optional.</summary>
    public const string CertificatePathSetting = "DataProtection:CertificatePath";
    public const string CertificatePasswordSetting = "DataProtection:CertificatePassword";

    public static WebApplicationBuilder AddPortalKeyRing(this WebApplicationBuilder builder)
    {
        var (connectionString, provider) = DatabaseProviders.Resolve(builder, ConnectionName, "portal.db");
        var postgres = provider == DatabaseProvider.PostgreSql;
        if (postgres) builder.Services.AddDbContext<PortalDb, PostgresPortalDb>(o => o.UseNpgsql(connectionString));
        else builder.Services.AddDbContext<PortalDb, SqlitePortalDb>(o => o.UseSqlite(connectionString));

        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<PortalDb>();
        // Keys encrypted at rest when the deployment gives a certificate: whoever reads the database cannot forge a session.
        if (builder.Configuration[CertificatePathSetting] is { Length: > 0 } certificatePath)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, builder.Configuration[CertificatePasswordSetting]);
            // Also the decryption certificate: no certificate store is needed (a container has none).
            dataProtection.ProtectKeysWithCertificate(certificate);
        }
        // On /readyz, but as Degraded, never Unhealthy: the keys are held in memory once loaded, so a portal whose database is
        // away still serves every page; failing readiness would take every replica out of service at once for it.
        builder.Services.AddHealthChecks().AddDbContextCheck<PortalDb>("portal-database", failureStatus: HealthStatus.Degraded, tags: ["ready"]);
        // First of all hosted services: before Data Protection's own (which loads the key ring) and before Kestrel listens.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp =>
            new PrepareKeyRing(sp, postgres ? connectionString : null, sp.GetRequiredService<ILogger<PrepareKeyRing>>())));
        return builder;
    }
}

/// <summary>
/// Migrates the portal's database, then loads the key ring (making its first key when there is none). On PostgreSQL both
/// under one advisory lock: replicas starting together on an empty database would otherwise each make a first key of
/// their own, and for a while each would refuse the other's cookies.
/// </summary>
internal sealed class PrepareKeyRing(IServiceProvider services, string? postgres, ILogger<PrepareKeyRing> log) : IHostedService
{
    // Any fixed number, the same in every replica ("PERFPORT").
    private const long LockKey = 0x5045_5246_504F_5254;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var lockConnection = postgres is null ? null : new NpgsqlConnection(postgres);
        if (lockConnection is not null)
        {
            await lockConnection.OpenAsync(cancellationToken);
            await ExecuteAsync(lockConnection, "SELECT pg_advisory_lock(@key)", cancellationToken);
        }
        try
        {
            await using (var scope = services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<PortalDb>().Database.MigrateAsync(cancellationToken);
            var protector = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("PerfPlatform.Portal.KeyRingCheck");
            protector.Unprotect(protector.Protect([1]));
            log.LogInformation("Data Protection key ring ready in the portal's database ({Provider})", postgres is null ? "SQLite" : "PostgreSQL");
        }
        finally
        {
            if (lockConnection is not null) await ExecuteAsync(lockConnection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", LockKey);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
