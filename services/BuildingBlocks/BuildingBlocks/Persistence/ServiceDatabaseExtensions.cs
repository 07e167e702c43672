using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.ServiceDefaults;

namespace PerfPlatform.BuildingBlocks.Persistence;

public static class ServiceDatabaseExtensions
{
    /// <summary>
    /// Registers a service's own database. <typeparamref name="TContext"/> is what the service uses;
    /// <typeparamref name="TSqlite"/> and <typeparamref name="TPostgres"/> are thin subclasses that only
    /// carry each provider's migrations. The schema is migrated at start-up. Contexts are pooled, so a context
    /// cannot configure itself in OnConfiguring: <paramref name="configure"/> is the place for further options.
    /// </summary>
    public static DatabaseProvider AddServiceDatabase<TContext, TSqlite, TPostgres>(
        this IHostApplicationBuilder builder, string connectionName, string defaultSqliteFile, Action<DbContextOptionsBuilder>? configure = null)
        where TContext : DbContext
        where TSqlite : TContext
        where TPostgres : TContext
    {
        var (connectionString, provider) = DatabaseProviders.Resolve(builder, connectionName, defaultSqliteFile);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxSaveChangesInterceptor>();
        // Pooled contexts: the hot paths (a value set, a plan change applied) open a context per batch, and a pooled
        // one skips rebuilding the context's services each time.
        if (provider == DatabaseProvider.PostgreSql)
        {
            var postgres = WithPlatformDefaults(connectionString);
            builder.Services.AddDbContextPool<TContext, TPostgres>((sp, o) => o
                .UseNpgsql(postgres)
                .AddInterceptors(sp.GetRequiredService<OutboxSaveChangesInterceptor>())
                .Also(configure));
        }
        else
        {
            builder.Services.AddDbContextPool<TContext, TSqlite>((sp, o) => o
                .UseSqlite(connectionString)
                .AddInterceptors(sp.GetRequiredService<OutboxSaveChangesInterceptor>())
                .Also(configure));
        }

        builder.Services.AddHostedService<MigrateAtStartup<TContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"{connectionName}-database", tags: ["ready"]);
        return provider;
    }

    /// <summary>
    /// Npgsql settings the platform relies on, unless the connection string sets them: statements the service runs
    /// over and over are prepared once per connection (PostgreSQL then skips parsing and planning them), and a
    /// connection handed back to the pool is not reset, since only this service's own code ever uses it.
    /// </summary>
    private static string WithPlatformDefaults(string postgresConnectionString)
    {
        // The keys the string sets, spelled as written ("Max Auto Prepare", "maxautoprepare", ...).
        var given = new DbConnectionStringBuilder { ConnectionString = postgresConnectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var b = new NpgsqlConnectionStringBuilder(postgresConnectionString);
        if (!given.Contains("MaxAutoPrepare")) b.MaxAutoPrepare = 64;
        if (!given.Contains("NoResetOnClose")) b.NoResetOnClose = true;
        return b.ConnectionString;
    }

    private static DbContextOptionsBuilder Also(this DbContextOptionsBuilder options, Action<DbContextOptionsBuilder>? configure)
    {
        configure?.Invoke(options);
        return options;
    }
}

/// <summary>Applies pending migrations before the service takes requests (hosted services start before Kestrel listens).</summary>
internal sealed class MigrateAtStartup<TContext>(IServiceProvider services) : IHostedService where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers go on while the single writer commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
