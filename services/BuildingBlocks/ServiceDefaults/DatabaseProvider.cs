namespace PerfPlatform.ServiceDefaults;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public static class DatabaseProviders
{
    /// <summary>
    /// One connection-string setting chooses the provider (every service, and the portal's key ring): a PostgreSQL string names a Host,
    /// anything else ("Data Source=objectives.db") is a SQLite file.
    /// </summary>
    public static DatabaseProvider FromConnectionString(string connectionString) =>
        connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains("Server=", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.PostgreSql
            : DatabaseProvider.Sqlite;
}
