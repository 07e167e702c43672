using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PerfPlatform.BuildingBlocks.Outbox;

/// <summary>
/// Publishes a service's committed outbox messages to the bus, in commit order, marking each as dispatched
/// once the broker has accepted it (RabbitMQ publisher confirms). A crash between publish and mark means a
/// redelivery, which consumers' inboxes drop: at-least-once delivery, exactly-once effect.
/// </summary>
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext, IOutboxDbContext
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Count commits from before the first read, so that none made during it is missed.
        signal.Subscribe<TContext>();

        // Every hosted service, the bus included, has started once the application has.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try { await started.Task; }
            catch (OperationCanceledException) { return; }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Drain everything committed so far, then sleep until signalled or the poll interval passes.
                while (await DispatchBatchAsync(stoppingToken) == BatchSize) { }
                await signal.WaitAsync<TContext>(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox dispatch of {Context} failed; retrying", typeof(TContext).Name);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Publishes up to one batch; returns how many messages it handled.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var pending = await db.OutboxMessages
            .Where(m => m.DispatchedAt == null)
            .OrderBy(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(ct);

        // Publish in order, then mark the batch in one commit: one write per batch rather than per message. A crash
        // in between republishes the batch, which consumers' inboxes drop.
        foreach (var message in pending)
        {
            try
            {
                var (body, type) = message.Deserialize();
                await bus.Publish(body, type, ctx => ctx.MessageId = message.MessageId, ct);
                message.DispatchedAt = clock.GetUtcNow();
                message.LastError = null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                message.Attempts++;
                message.LastError = ex.Message.Length > 1000 ? ex.Message[..1000] : ex.Message;
                await db.SaveChangesAsync(ct);
                throw; // keep commit order: do not publish later messages before this one
            }
        }
        if (pending.Count > 0) await db.SaveChangesAsync(ct);
        return pending.Count;
    }
}
