using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PerfPlatform.TestSupport;

namespace PerfPlatform.BuildingBlocks.Tests;

public enum Provider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A throwaway database with the test schema (EnsureCreated): a SQLite file in a temporary directory, or a fresh
/// database in the test PostgreSQL. <see cref="NewContext"/> opens it directly, with no interceptor: a process with
/// no dispatcher in it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresDatabase? _postgres;
    private readonly string? _directory;
    private readonly bool _second;

    public Provider Provider { get; }
    public string ConnectionString { get; }

    private TestDatabase(Provider provider, string connectionString, bool second, PostgresDatabase? postgres, string? directory)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _second = second;
        _postgres = postgres;
        _directory = directory;
    }

    /// <param name="second">The schema of <see cref="SecondTestDbContext"/> rather than <see cref="TestDbContext"/>.</param>
    public static async Task<TestDatabase> CreateAsync(Provider provider, bool second = false)
    {
        TestDatabase db;
        if (provider == Provider.Postgres)
        {
            var pg = await PostgresDatabase.CreateAsync("bb_test");
            // Pooled, as a service's connections are: PostgresDatabase turns pooling off (its dispose clears the pools),
            // and a new server process per save would make the dispatcher, which saves once per message, crawl.
            var connection = new NpgsqlConnectionStringBuilder(pg.ConnectionString) { Pooling = true }.ConnectionString;
            db = new TestDatabase(provider, connection, second, pg, null);
        }
        else
        {
            var dir = Directory.CreateTempSubdirectory("bb-test-").FullName;
            db = new TestDatabase(provider, $"Data Source={Path.Combine(dir, "test.db")}", second, null, dir);
        }
        await using var context = db.NewContext();
        await context.Database.EnsureCreatedAsync();
        // As the services run SQLite (MigrateAtStartup), so that commits made before a host starts cost the same.
        if (provider == Provider.Sqlite) await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        return db;
    }

    public OutboxTestDbContext NewContext() => (Provider, _second) switch
    {
        (Provider.Sqlite, false) => new SqliteTestDbContext(new DbContextOptionsBuilder<SqliteTestDbContext>().UseSqlite(ConnectionString).Options),
        (Provider.Postgres, false) => new PostgresTestDbContext(new DbContextOptionsBuilder<PostgresTestDbContext>().UseNpgsql(ConnectionString).Options),
        (Provider.Sqlite, true) => new SqliteSecondTestDbContext(new DbContextOptionsBuilder<SqliteSecondTestDbContext>().UseSqlite(ConnectionString).Options),
        (Provider.Postgres, true) => new PostgresSecondTestDbContext(new DbContextOptionsBuilder<PostgresSecondTestDbContext>().UseNpgsql(ConnectionString).Options),
        _ => throw new ArgumentOutOfRangeException(nameof(Provider)),
    };

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }
}
