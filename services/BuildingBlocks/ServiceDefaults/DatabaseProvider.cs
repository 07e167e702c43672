using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace PerfPlatform.ServiceDefaults;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Which database a process uses: the one rule for every service and for the portal's key ring.</summary>
public static class DatabaseProviders
{
    /// <summary>
    /// One connection-string setting chooses the provider: a PostgreSQL string names a Host,
    /// anything else ("Data Source=objectives.db") is a SQLite file.
    /// </summary>
    public static DatabaseProvider FromConnectionString(string connectionString) =>
        connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains("Server=", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.PostgreSql
            : DatabaseProvider.Sqlite;

    /// <summary>
    /// The connection string named <paramref name="connectionName"/>, else the SQLite file <paramref name="defaultSqliteFile"/>
    /// in the <c>DataDirectory</c> setting (default <c>.data</c> under the content root). A SQLite file's folder is created.
    /// </summary>
    public static (string ConnectionString, DatabaseProvider Provider) Resolve(IHostApplicationBuilder builder, string connectionName, string defaultSqliteFile)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var dataDirectory = builder.Configuration["DataDirectory"] ?? Path.Combine(builder.Environment.ContentRootPath, ".data");
            connectionString = $"Data Source={Path.Combine(dataDirectory, defaultSqliteFile)}";
        }
        var provider = FromConnectionString(connectionString);
        if (provider == DatabaseProvider.Sqlite && SqliteFile(connectionString) is { } file
            && Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
        return (connectionString, provider);
    }

    /// <summary>The file a SQLite connection string names (its keys as Microsoft.Data.Sqlite reads them); null: in memory.</summary>
    private static string? SqliteFile(string connectionString)
    {
        var keys = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (var key in new[] { "Data Source", "DataSource", "Filename" })
            if (keys.TryGetValue(key, out var value) && value is string { Length: > 0 } file && file != ":memory:") return file;
        return null;
    }
}
