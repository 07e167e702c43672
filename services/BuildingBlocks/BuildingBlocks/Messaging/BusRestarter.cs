using MassTransit;
using Microsoft.Extensions.Logging;

namespace PerfPlatform.BuildingBlocks.Messaging;

/// <summary>
/// Stops and starts the bus, which re-creates its broker connection and channels. For when publishing has failed for
/// long although MassTransit reports nothing wrong (seen here after a broker restart: a connection that looked alive and
/// moved nothing). One restart at a time per process, each step within a time limit, so a broker still away cannot hang it.
/// </summary>
public sealed class BusRestarter(IBusControl bus, ILogger<BusRestarter> logger)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _one = new(1, 1);

    public int Restarts { get; private set; }

    public async Task RestartAsync(CancellationToken ct)
    {
        if (!await _one.WaitAsync(0, ct)) return; // a restart is under way
        try
        {
            Restarts++;
            Outbox.OutboxMetrics.BusRestarts.Add(1);
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                stop.CancelAfter(StepTimeout);
                try { await bus.StopAsync(stop.Token).WaitAsync(StepTimeout, ct); }
                catch (Exception ex) when (!ct.IsCancellationRequested) { logger.LogWarning(ex, "The bus did not stop cleanly; starting it again"); }
            }
            using var start = CancellationTokenSource.CreateLinkedTokenSource(ct);
            start.CancelAfter(StepTimeout);
            // Started, not necessarily connected: with the broker still away the bus keeps trying, and the next failing
            // period restarts it again.
            try { await bus.StartAsync(start.Token).WaitAsync(StepTimeout, ct); }
            catch (Exception ex) when (!ct.IsCancellationRequested) { logger.LogWarning(ex, "The bus has not started yet"); }
            logger.LogWarning("Bus restarted (restart {Count} of this process)", Restarts);
        }
        finally
        {
            _one.Release();
        }
    }
}
