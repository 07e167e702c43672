using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PerfPlatform.BuildingBlocks.Inbox;

/// <summary>How long a consumer's inbox remembers a message (configuration section "Inbox").</summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>
    /// Records older than this are deleted; zero or less keeps them forever. A redelivery arrives within minutes of its
    /// first delivery, and one older than this would still change nothing: the consumers keep the highest version.
    /// </summary>
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often old records are deleted (and once at start).</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Deletes a service's inbox records older than <see cref="InboxOptions.KeepFor"/>, so the table does not grow for ever.</summary>
public sealed class InboxRetention<TContext>(
    IServiceScopeFactory scopes, TimeProvider clock, IHostApplicationLifetime lifetime, IOptions<InboxOptions> options,
    ILogger<InboxRetention<TContext>> logger)
    : BackgroundService
    where TContext : DbContext, IInboxDbContext
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
                var purged = await PurgeAsync(stoppingToken);
                if (purged > 0) logger.LogInformation("Deleted {Count} inbox records of {Context} older than {KeepFor}", purged, typeof(TContext).Name, options.Value.KeepFor);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Deleting the old inbox records of {Context} failed; trying again in {Interval}", typeof(TContext).Name, options.Value.PurgeInterval);
            }
            try { await Task.Delay(options.Value.PurgeInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Deletes the records older than <see cref="InboxOptions.KeepFor"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var keep = options.Value.KeepFor;
        if (keep <= TimeSpan.Zero) return 0;
        var before = clock.GetUtcNow() - keep;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        // In SQL for both providers: EF will not compare DateTimeOffset on SQLite, where it is text. Every record is
        // stamped in UTC (TimeProvider.GetUtcNow), and text in one offset orders as the times do.
        var entity = db.Model.FindEntityType(typeof(InboxMessage))!;
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
        var column = sql.DelimitIdentifier(entity.FindProperty(nameof(InboxMessage.ProcessedAt))!.GetColumnName());
#pragma warning disable EF1002 // the identifiers come from the model, the value is a parameter
        return await db.Database.ExecuteSqlRawAsync($"DELETE FROM {table} WHERE {column} < {{0}}", [before.ToUniversalTime()], ct);
#pragma warning restore EF1002
    }
}
