using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerfPlatform.BuildingBlocks.Inbox;
using PerfPlatform.BuildingBlocks.Outbox;

namespace PerfPlatform.BuildingBlocks.Persistence;

/// <summary>How long a service's message tables keep their rows (configuration section "Retention"). Zero or less keeps them forever.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// Published outbox rows, counted from publishing: the outbox is a hand-over, not an archive (the audit trail is the
    /// record of changes). Unpublished and dead-lettered rows are never deleted.
    /// </summary>
    public TimeSpan OutboxPublished { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Inbox records, counted from processing. A redelivery comes within minutes of the first delivery, and one older than
    /// this would still change nothing: consumers keep the highest version.
    /// </summary>
    public TimeSpan Inbox { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often old rows are deleted (and once at start).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Deletes the old rows of a service database's outbox and inbox (whichever <typeparamref name="TContext"/> has), so those
/// tables do not grow for ever. In the background: publishing and consuming do not wait for it.
/// </summary>
public sealed class MessageRetention<TContext>(
    IServiceScopeFactory scopes, TimeProvider clock, IHostApplicationLifetime lifetime, IOptions<RetentionOptions> options,
    ILogger<MessageRetention<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once the host has started: its database is migrated by then.
        try { await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).WaitAsync(stoppingToken); }
        catch (OperationCanceledException) when (lifetime.ApplicationStarted.IsCancellationRequested) { }
        catch (OperationCanceledException) { return; }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Deleting the old message rows of {Context} failed; trying again in {Interval}", typeof(TContext).Name, options.Value.Interval);
            }
            try { await Task.Delay(options.Value.Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = clock.GetUtcNow();
        // A null DispatchedAt (not published) never compares as older.
        if (db is IOutboxDbContext) await DeleteOlderThanAsync<OutboxMessage>(db, nameof(OutboxMessage.DispatchedAt), options.Value.OutboxPublished, now, ct);
        if (db is IInboxDbContext) await DeleteOlderThanAsync<InboxMessage>(db, nameof(InboxMessage.ProcessedAt), options.Value.Inbox, now, ct);
    }

    private async Task DeleteOlderThanAsync<TRow>(TContext db, string property, TimeSpan keep, DateTimeOffset now, CancellationToken ct)
    {
        if (keep <= TimeSpan.Zero) return;
        var before = (now - keep).ToUniversalTime();
        // In SQL for both providers: EF will not compare DateTimeOffset on SQLite, where it is text. Every row is stamped
        // in UTC (TimeProvider.GetUtcNow), and text in one offset orders as the times do.
        var entity = db.Model.FindEntityType(typeof(TRow))!;
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
        var column = sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName());
#pragma warning disable EF1002 // the identifiers come from the model, the value is a parameter
        var deleted = await db.Database.ExecuteSqlRawAsync($"DELETE FROM {table} WHERE {column} < {{0}}", [before], ct);
#pragma warning restore EF1002
        if (deleted > 0) logger.LogInformation("Deleted {Count} rows of {Table} in {Context} older than {Before:O}", deleted, table, typeof(TContext).Name, before);
    }
}
