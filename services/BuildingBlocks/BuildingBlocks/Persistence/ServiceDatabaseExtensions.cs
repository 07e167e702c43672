using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerfPlatform.BuildingBlocks.Outbox;

namespace PerfPlatform.BuildingBlocks.Persistence;

public static class ServiceDatabaseExtensions
{
    /// <summary>
    /// Registers a service's own database. <typeparamref name="TContext"/> is what the service uses;
    /// <typeparamref name="TSqlite"/> and <typeparamref name="TPostgres"/> are thin subclasses that only
    /// carry each provider's migrations. The schema is migrated at start-up.
    /// </summary>
    public static DatabaseProvider AddServiceDatabase<TContext, TSqlite, TPostgres>(
        this IHostApplicationBuilder builder, string connectionName, string defaultSqliteFile)
        where TContext : DbContext
        where TSqlite : TContext
        where TPostgres : TContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var dataDir = builder.Configuration["DataDirectory"] ?? Path.Combine(builder.Environment.ContentRootPath, ".data");
            Directory.CreateDirectory(dataDir);
            connectionString = $"Data Source={Path.Combine(dataDir, defaultSqliteFile)}";
        }

        var provider = DatabaseProviders.FromConnectionString(connectionString);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxSaveChangesInterceptor>();
        if (provider == DatabaseProvider.PostgreSql)
        {
            builder.Services.AddDbContext<TContext, TPostgres>((sp, o) => o
                .UseNpgsql(connectionString)
                .AddInterceptors(sp.GetRequiredService<OutboxSaveChangesInterceptor>()));
        }
        else
        {
            EnsureSqliteDirectory(connectionString);
            builder.Services.AddDbContext<TContext, TSqlite>((sp, o) => o
                .UseSqlite(connectionString)
                .AddInterceptors(sp.GetRequiredService<OutboxSaveChangesInterceptor>()));
        }

        builder.Services.AddHostedService<MigrateAtStartup<TContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"{connectionName}-database", tags: ["ready"]);
        return provider;
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var dir = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
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
