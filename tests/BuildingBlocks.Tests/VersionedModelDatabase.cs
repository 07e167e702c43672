using Microsoft.EntityFrameworkCore;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.TestSupport;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>
/// A throwaway database with the schema of one test model (EnsureCreated) and VersionCheck's trigger on its year table:
/// a SQLite file in a temporary directory, or a fresh database in the test PostgreSQL.
/// </summary>
public sealed class VersionedModelDatabase<TContext> : IAsyncDisposable where TContext : DbContext
{
    private readonly Provider _provider;
    private readonly string _connectionString;
    private readonly Func<DbContextOptions<TContext>, TContext> _create;
    private readonly PostgresDatabase? _postgres;
    private readonly string? _directory;

    private VersionedModelDatabase(Provider provider, string connectionString, Func<DbContextOptions<TContext>, TContext> create,
        PostgresDatabase? postgres, string? directory) =>
        (_provider, _connectionString, _create, _postgres, _directory) = (provider, connectionString, create, postgres, directory);

    /// <param name="yearTable">The table whose "Version" the trigger checks against its "VersionBase".</param>
    public static async Task<VersionedModelDatabase<TContext>> CreateAsync(Provider provider, string name, string yearTable,
        Func<DbContextOptions<TContext>, TContext> create)
    {
        VersionedModelDatabase<TContext> database;
        if (provider == Provider.Postgres)
        {
            var pg = await PostgresDatabase.CreateAsync(name);
            database = new(provider, pg.ConnectionString, create, pg, null);
        }
        else
        {
            var dir = Directory.CreateTempSubdirectory($"{name}-").FullName;
            database = new(provider, $"Data Source={Path.Combine(dir, "test.db")};Pooling=false", create, null, dir);
        }
        await using var db = database.NewContext();
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync(provider == Provider.Postgres
            ? VersionCheck.PostgresTrigger(yearTable, "Version", "VersionBase")
            : VersionCheck.SqliteTrigger(yearTable, "Version", "VersionBase"));
        return database;
    }

    public TContext NewContext(Action<DbContextOptionsBuilder<TContext>>? configure = null)
    {
        var options = new DbContextOptionsBuilder<TContext>();
        if (_provider == Provider.Postgres) options.UseNpgsql(_connectionString);
        else options.UseSqlite(_connectionString);
        configure?.Invoke(options);
        return _create(options.Options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_directory is not null)
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
