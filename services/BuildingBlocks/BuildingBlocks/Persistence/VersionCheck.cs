using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;

namespace PerfPlatform.BuildingBlocks.Persistence;

/// <summary>
/// A year's version checked by the database itself. A service's year row has its version and a base column: every
/// update of the row writes into the base the version its writer read, and a trigger refuses the update (and so the
/// whole transaction or batch) when the row has moved on since. EF's own concurrency token could not serve here: it
/// filters its UPDATE on the old version, and a row that moved on is then simply not matched, with no error; a save sent
/// as one batch without BEGIN/COMMIT (<see cref="RowBatch"/>) would commit the rest of its statements. With the
/// trigger, the refusal is an error inside the batch, and PostgreSQL rolls the batch back.
/// <para>
/// The trigger fires only for updates that set the base column (<c>UPDATE OF</c>), so every writer must set it:
/// <see cref="StampBases{TEntity}"/>, called by the service's context before each save, does that for every modified row;
/// a <see cref="RowBatch"/> writer sets the base itself.
/// </para>
/// </summary>
public static class VersionCheck
{
    /// <summary>The SQLSTATE of the PostgreSQL refusal (a class of its own: nothing else raises it, nothing retries it).</summary>
    public const string SqlState = "PV001";
    private const string Refusal = "version conflict";

    /// <summary>
    /// The trigger (and its function) for PostgreSQL. A migration writes the SQL out as it was on the day (the services'
    /// VersionCheckInDatabase migrations), so that changing this never changes a migration; tests build their schema with it.
    /// </summary>
    public static string PostgresTrigger(string table, string version, string versionBase) => $"""
        CREATE FUNCTION "{table}_version_check"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."{versionBase}" IS DISTINCT FROM OLD."{version}" THEN
                RAISE EXCEPTION '{Refusal}: % is at version %, the writer read version %', TG_TABLE_NAME, OLD."{version}", NEW."{versionBase}"
                    USING ERRCODE = '{SqlState}';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER "{table}_version_check" BEFORE UPDATE OF "{versionBase}" ON "{table}"
            FOR EACH ROW EXECUTE FUNCTION "{table}_version_check"();
        """;

    public static string DropPostgresTrigger(string table) => $"""
        DROP TRIGGER IF EXISTS "{table}_version_check" ON "{table}";
        DROP FUNCTION IF EXISTS "{table}_version_check"();
        """;

    /// <summary>The same trigger for SQLite (written out by migrations in the same way).</summary>
    public static string SqliteTrigger(string table, string version, string versionBase) => $"""
        CREATE TRIGGER "{table}_version_check" BEFORE UPDATE OF "{versionBase}" ON "{table}"
        WHEN NEW."{versionBase}" IS NOT OLD."{version}"
        BEGIN SELECT RAISE(ABORT, '{Refusal}: {table} moved on since the writer read it'); END;
        """;

    public static string DropSqliteTrigger(string table) => $"""DROP TRIGGER IF EXISTS "{table}_version_check";""";

    /// <summary>Whether <paramref name="exception"/> (or what it wraps) is the trigger's refusal.</summary>
    public static bool IsConflict(Exception? exception) => exception switch
    {
        null => false,
        PostgresException { SqlState: SqlState } => true,
        SqliteException sqlite when sqlite.Message.Contains(Refusal, StringComparison.Ordinal) => true,
        _ => IsConflict(exception.InnerException),
    };

    /// <summary>
    /// Writes into each modified <typeparamref name="TEntity"/> row's base the version it was read at (the original value
    /// of <paramref name="version"/>), and marks the base modified, so the update sets it and the trigger checks it.
    /// </summary>
    public static void StampBases<TEntity>(ChangeTracker tracker, string version, string versionBase) where TEntity : class
    {
        foreach (var entry in tracker.Entries<TEntity>())
        {
            if (entry.State != EntityState.Modified) continue;
            var read = entry.Property(versionBase);
            read.CurrentValue = entry.Property(version).OriginalValue;
            read.IsModified = true;
        }
    }
}
