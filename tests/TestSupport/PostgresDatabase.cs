using Npgsql;

namespace PerfPlatform.TestSupport;

/// <summary>A fresh database in the test PostgreSQL, dropped on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _admin;
    public string Name { get; }
    public string ConnectionString { get; }

    private PostgresDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
    }

    public static async Task<PostgresDatabase> CreateAsync(string prefix = "perf_test")
    {
        var admin = TestEnvironment.PostgresAdminConnection;
        var db = new PostgresDatabase(admin, $"{prefix}_{Guid.NewGuid():N}"[..40]);
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{db.Name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
