using MassTransit;
using Microsoft.Extensions.Logging;

namespace PerfPlatform.BuildingBlocks.Messaging;

/// <summary>
/// The bus the outbox publishes through. In-process it is the host's bus (the consumers are on it). With RabbitMQ it is
/// a publish-only bus of its own, which <see cref="RecreateAsync"/> replaces by a new one, with a new connection and new
/// channels, when publishing has failed for long although MassTransit reports nothing wrong (seen here after a broker
/// restart: a connection that looked alive and moved nothing). Restarting the host's bus in place is not an option:
/// MassTransit 8 keeps its stopped send transports ("The send transport is stopped") after a restart.
/// </summary>
public sealed class OutboxPublisher(Uri? rabbitMq, IBus hostBus, ILogger<OutboxPublisher> logger) : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private IBusControl? _bus;
    private Task<BusHandle>? _started;
    /// <summary>The bus once started, read without the lock by every publish (the hot path); null while none is.</summary>
    private volatile IBusControl? _ready;

    /// <summary>How many times the publishing bus was replaced.</summary>
    public int Recreated { get; private set; }

    public async Task PublishAsync(object message, Type type, Action<PublishContext> context, TimeSpan timeout, CancellationToken ct)
    {
        if (rabbitMq is null)
        {
            await hostBus.Publish(message, type, context, ct).WaitAsync(timeout, ct);
            return;
        }
        var bus = _ready ?? await CurrentAsync(timeout, ct);
        // The caller's token carries the timeout (OutboxDispatcher): one timer per publish, not two.
        await bus.Publish(message, type, context, ct).WaitAsync(ct);
    }

    /// <summary>Drops the publishing bus (stopped in the background: a wedged connection may take long to close); the next publish starts a new one.</summary>
    public async Task RecreateAsync()
    {
        if (rabbitMq is null) return;
        await _lock.WaitAsync();
        try
        {
            var old = _bus;
            _ready = null;
            _bus = null;
            _started = null;
            Recreated++;
            Outbox.OutboxMetrics.BusRestarts.Add(1);
            logger.LogWarning("Outbox publishing bus replaced (time {Count} in this process)", Recreated);
            if (old is not null) _ = StopQuietlyAsync(old);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<IBusControl> CurrentAsync(TimeSpan timeout, CancellationToken ct)
    {
        Task<BusHandle> started;
        IBusControl bus;
        await _lock.WaitAsync(ct);
        try
        {
            if (_bus is not null && _started is { IsFaulted: true } or { IsCanceled: true })
            {
                _ = StopQuietlyAsync(_bus); // a start that failed is not retried: a new bus is
                _bus = null;
            }
            if (_bus is null)
            {
                _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
                {
                    MessagingExtensions.NameExchanges(cfg);
                    MessagingExtensions.ConfigureRabbitMqHost(cfg, rabbitMq!);
                });
                // Started once; a caller that stops waiting leaves it starting for the next.
                _started = _bus.StartAsync(CancellationToken.None);
            }
            bus = _bus;
            started = _started!;
        }
        finally
        {
            _lock.Release();
        }
        await started.WaitAsync(timeout, ct);
        await _lock.WaitAsync(ct);
        try
        {
            if (_bus == bus) _ready = bus; // not if it was replaced meanwhile
        }
        finally
        {
            _lock.Release();
        }
        return bus;
    }

    private async Task StopQuietlyAsync(IBusControl bus)
    {
        try { await bus.StopAsync(CancellationToken.None).WaitAsync(StopTimeout); }
        catch (Exception ex) { logger.LogDebug(ex, "The replaced publishing bus did not stop cleanly"); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is { } bus) await StopQuietlyAsync(bus);
    }
}
