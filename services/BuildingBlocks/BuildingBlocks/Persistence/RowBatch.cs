using System.Collections.Concurrent;
using System.Data.Common;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using PerfPlatform.BuildingBlocks.Outbox;

namespace PerfPlatform.BuildingBlocks.Persistence;

/// <summary>
/// Rows written past EF's change tracker and update pipeline, for the two writers every change goes through
/// (Objectives' value lane, Scoring's applier). A profile of the e2e bench put EF's own share of those saves (tracking,
/// building the commands, generating their SQL afresh on every save) at a fifth of Objectives' CPU and a sixth of
/// Scoring's (docs/benchmarks.md, session 12). The SQL of each kind of row (entity type, statement, columns) is made
/// once from the context's EF model: table and column names, type mappings and value converters, so it stays in step
/// with the model and its migrations; the parameters are made by EF's own type mappings.
/// <para>
/// All or nothing: PostgreSQL gets the batch as one <see cref="DbBatch"/> (one round trip, which it runs as one implicit
/// transaction, or inside the context's open transaction); SQLite gets the statements in one transaction. An update must
/// match exactly one row, or the batch fails (<see cref="DbUpdateConcurrencyException"/>) and nothing is written. A
/// database error comes out as a <see cref="DbUpdateException"/>, as from SaveChanges, so <see cref="VersionCheck"/>
/// reads it the same way. Outbox messages inserted outside a transaction are handed to the outbox dispatcher once the
/// batch has committed, as a SaveChanges would (<see cref="OutboxSaveChangesInterceptor"/>).
/// </para>
/// </summary>
public sealed class RowBatch(DbContext db)
{
    private readonly List<(Statement Statement, object Entity)> _rows = [];

    /// <summary>Inserts every column of <paramref name="entity"/>; a key the database generates is read back into it.</summary>
    public RowBatch Insert<T>(T entity) where T : class
    {
        _rows.Add((Statements.For(db, typeof(T), StatementKind.Insert, []), entity));
        return this;
    }

    /// <summary>Sets <paramref name="properties"/> of the row with <paramref name="entity"/>'s primary key (which must exist).</summary>
    public RowBatch Update<T>(T entity, params string[] properties) where T : class
    {
        _rows.Add((Statements.For(db, typeof(T), StatementKind.Update, properties), entity));
        return this;
    }

    /// <summary>Sets every column but the key of the row with <paramref name="entity"/>'s primary key (which must exist).</summary>
    public RowBatch UpdateAll<T>(T entity) where T : class
    {
        _rows.Add((Statements.For(db, typeof(T), StatementKind.UpdateAll, []), entity));
        return this;
    }

    public async Task ExecuteAsync(CancellationToken ct = default)
    {
        if (_rows.Count == 0) return;
        foreach (var (statement, entity) in _rows) statement.PrepareValues(entity);
        var outbox = _rows.Where(r => r.Entity is OutboxMessage).Select(r => (OutboxMessage)r.Entity).ToList();
        var transaction = db.Database.CurrentTransaction;
        if (transaction is not null && outbox.Count > 0)
            throw new InvalidOperationException("RowBatch hands outbox messages over at its own commit: run it outside a transaction.");

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (connection is NpgsqlConnection) await ExecutePostgresAsync(connection, transaction?.GetDbTransaction(), ct);
            else await ExecuteEachAsync(connection, transaction?.GetDbTransaction(), ct);
        }
        catch (DbException ex) when (Statements.IsNoRowUpdated(ex))
        {
            throw new DbUpdateConcurrencyException("An updated row is no longer in the database: nothing was written.", ex);
        }
        catch (DbException ex)
        {
            throw new DbUpdateException($"The batch of {_rows.Count} rows was refused: {ex.Message}", ex);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        _rows.Clear();
        if (outbox.Count > 0) Interceptor()?.HandOver(db, outbox);
    }

    private OutboxSaveChangesInterceptor? Interceptor() =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<OutboxSaveChangesInterceptor>().FirstOrDefault();

    private async Task ExecutePostgresAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        await using var factory = connection.CreateCommand();
        foreach (var (statement, entity) in _rows)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql;
            statement.AddParameters(factory, command.Parameters, entity, positional: true);
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var returning = _rows.Where(r => r.Statement.ReturnsRows).GetEnumerator();
        do
        {
            if (reader.FieldCount == 0) continue;
            if (!returning.MoveNext()) throw new InvalidOperationException("More result sets than statements that return rows.");
            var (statement, entity) = returning.Current;
            if (await reader.ReadAsync(ct)) statement.ReadBack(reader, entity);
        } while (await reader.NextResultAsync(ct));
    }

    private async Task ExecuteEachAsync(DbConnection connection, DbTransaction? outer, CancellationToken ct)
    {
        await using var own = outer is null ? await connection.BeginTransactionAsync(ct) : null;
        foreach (var (statement, entity) in _rows)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = outer ?? own;
            command.CommandText = statement.Sql;
            statement.AddParameters(command, command.Parameters, entity, positional: false);
            if (statement.ReturnsRows)
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct)) statement.ReadBack(reader, entity);
            }
            else if (await command.ExecuteNonQueryAsync(ct) != 1 && statement.Kind != StatementKind.Insert)
            {
                throw new DbUpdateConcurrencyException($"No row of {statement.Table} with that key to update: nothing was written.");
            }
        }
        if (own is not null) await own.CommitAsync(ct);
    }

    private enum StatementKind { Insert, Update, UpdateAll }

    /// <summary>One kind of row: its SQL (PostgreSQL or SQLite) and how each parameter's value is taken from the entity.</summary>
    private sealed class Statement
    {
        public required StatementKind Kind { get; init; }
        public required string Table { get; init; }
        public required string Sql { get; init; }
        public required Column[] Parameters { get; init; }
        /// <summary>Read back after the insert (a key the database generates).</summary>
        public required Column[] Generated { get; init; }
        /// <summary>A Guid key EF would generate on Add: made here when the entity has none.</summary>
        public Column? ClientGuidKey { get; init; }
        /// <summary>An update on PostgreSQL that checks it matched a row: it returns a row, read past.</summary>
        public bool CheckedUpdate { get; init; }
        public bool ReturnsRows => Generated.Length > 0 || CheckedUpdate;

        public void PrepareValues(object entity)
        {
            if (ClientGuidKey is { } key && key.Get(entity) is Guid id && id == Guid.Empty) key.Set(entity, Guid.CreateVersion7());
        }

        public void AddParameters(DbCommand factory, DbParameterCollection parameters, object entity, bool positional)
        {
            for (var i = 0; i < Parameters.Length; i++)
            {
                var column = Parameters[i];
                parameters.Add(column.Mapping.CreateParameter(factory, positional ? "" : $"@p{i}", column.Get(entity), column.Nullable));
            }
        }

        public void ReadBack(DbDataReader reader, object entity)
        {
            for (var i = 0; i < Generated.Length; i++)
            {
                var column = Generated[i];
                var value = reader.GetValue(i);
                column.Set(entity, column.Mapping.Converter is { } converter ? converter.ConvertFromProvider(value)
                    : Convert.ChangeType(value, Nullable.GetUnderlyingType(column.Property.ClrType) ?? column.Property.ClrType, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping, Func<object, object?> Get, Action<object, object?> Set)
    {
        public bool Nullable => Property.IsNullable;
    }

    /// <summary>The statements made so far, per model (each provider's context has its own).</summary>
    private static class Statements
    {
        private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<string, Statement>> Cache = new();
        /// <summary>PostgreSQL's division by zero, which an update that matched no row raises on purpose (see <see cref="Build"/>).</summary>
        private const string NoRowUpdated = "22012";

        public static bool IsNoRowUpdated(DbException ex) => ex is PostgresException { SqlState: NoRowUpdated };

        public static Statement For(DbContext db, Type type, StatementKind kind, string[] properties)
        {
            var statements = Cache.GetValue(db.Model, _ => new ConcurrentDictionary<string, Statement>());
            var key = $"{kind}|{type.FullName}|{string.Join(',', properties)}";
            return statements.TryGetValue(key, out var statement)
                ? statement
                : statements.GetOrAdd(key, _ => Build(db, type, kind, properties));
        }

        private static Statement Build(DbContext db, Type type, StatementKind kind, string[] names)
        {
            var entityType = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model of {db.GetType().Name}.");
            if (entityType.GetNavigations().Any(n => n.TargetEntityType.IsOwned()) || entityType.GetComplexProperties().Any())
                throw new NotSupportedException($"{type.Name} has owned or complex parts, which RowBatch does not write: use SaveChanges.");
            var table = entityType.GetTableName() ?? throw new NotSupportedException($"{type.Name} is not mapped to a table.");
            var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            var postgres = db.Database.IsNpgsql();
            var key = entityType.FindPrimaryKey() ?? throw new NotSupportedException($"{type.Name} has no primary key.");
            Column ColumnOf(IProperty p) => p.PropertyInfo is null
                ? throw new NotSupportedException($"{type.Name}.{p.Name} is a shadow property, which RowBatch does not write.")
                : new Column(p, p.GetColumnName(store) ?? p.Name, p.GetRelationalTypeMapping(), Getter(p), Setter(p));

            var parameters = new List<Column>();
            string Placeholder(Column column)
            {
                parameters.Add(column);
                return postgres ? $"${parameters.Count}" : $"@p{parameters.Count - 1}";
            }

            var text = new StringBuilder();
            var tableName = sql.DelimitIdentifier(table, entityType.GetSchema());
            Column[] generated = [];
            Column? clientGuid = null;
            if (kind == StatementKind.Insert)
            {
                // A numeric key the database generates (identity, autoincrement); a Guid key is made here, as EF would.
                var storeGenerated = key.Properties.Where(p => p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType != typeof(Guid)).ToHashSet();
                if (key.Properties.SingleOrDefault(p => p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType == typeof(Guid)) is { } guid)
                    clientGuid = ColumnOf(guid);
                var columns = entityType.GetProperties().Where(p => !storeGenerated.Contains(p)).Select(ColumnOf).ToList();
                text.Append("INSERT INTO ").Append(tableName).Append(" (")
                    .AppendJoin(", ", columns.Select(c => sql.DelimitIdentifier(c.Name))).Append(") VALUES (")
                    .AppendJoin(", ", columns.Select(Placeholder)).Append(')');
                generated = storeGenerated.Select(ColumnOf).ToArray();
                if (generated.Length > 0) text.Append(" RETURNING ").AppendJoin(", ", generated.Select(c => sql.DelimitIdentifier(c.Name)));
            }
            else
            {
                var set = kind == StatementKind.UpdateAll
                    ? entityType.GetProperties().Where(p => !p.IsPrimaryKey()).ToList()
                    : names.Select(n => entityType.FindProperty(n) ?? throw new InvalidOperationException($"{type.Name} has no property {n}.")).ToList();
                if (set.Count == 0 || set.Any(p => p.IsPrimaryKey())) throw new InvalidOperationException($"An update of {type.Name} sets at least one column, and never its key.");
                var update = new StringBuilder().Append("UPDATE ").Append(tableName).Append(" SET ")
                    .AppendJoin(", ", set.Select(ColumnOf).Select(c => $"{sql.DelimitIdentifier(c.Name)} = {Placeholder(c)}"))
                    .Append(" WHERE ")
                    .AppendJoin(" AND ", key.Properties.Select(ColumnOf).Select(c => $"{sql.DelimitIdentifier(c.Name)} = {Placeholder(c)}"));
                // PostgreSQL runs the batch as one transaction, and counts rows only once it has committed: an update
                // that matched no row fails itself (a division by zero), so the batch is rolled back. SQLite's count is
                // checked statement by statement, inside the batch's transaction.
                if (postgres) text.Append("WITH changed AS (").Append(update).Append(" RETURNING 1) SELECT 1 / count(*) FROM changed");
                else text.Append(update);
            }
            return new Statement
            {
                Kind = kind, Table = table, Sql = text.ToString(), Parameters = [.. parameters], Generated = generated, ClientGuidKey = clientGuid,
                CheckedUpdate = postgres && kind != StatementKind.Insert,
            };
        }

        private static Func<object, object?> Getter(IProperty property)
        {
            var entity = Expression.Parameter(typeof(object));
            var body = Expression.Convert(Expression.Property(Expression.Convert(entity, property.DeclaringType.ClrType), property.PropertyInfo!), typeof(object));
            return Expression.Lambda<Func<object, object?>>(body, entity).Compile();
        }

        private static Action<object, object?> Setter(IProperty property)
        {
            var entity = Expression.Parameter(typeof(object));
            var value = Expression.Parameter(typeof(object));
            var body = Expression.Assign(
                Expression.Property(Expression.Convert(entity, property.DeclaringType.ClrType), property.PropertyInfo!),
                Expression.Convert(value, property.ClrType));
            return Expression.Lambda<Action<object, object?>>(body, entity, value).Compile();
        }
    }
}
