using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace PerfPlatform.BuildingBlocks.Messaging;

/// <summary>
/// Delivers the events of an exchange to a queue of this process, except those this process published itself
/// (<see cref="EventOrigin"/>). RabbitMQ has no "not from me" binding; this is one built from what it has:
/// <code>
///   source (fanout) ──► filter (headers; alternate exchange: the queue's exchange)
///                         ├─ perf-origin = this process ──► own (exclusive queue, x-max-length 0: dropped)
///                         └─ anything else, via the alternate exchange ──► the queue's exchange ──► the queue
/// </code>
/// Scoring uses it for the queue that feeds its watchers: it hands its own recalculations to them at commit, and
/// receiving them again from the broker cost 2-7 % of the CPU of a change at 200 changes/s (docs/benchmarks.md, session 11).
/// <para>
/// The filter lives on a connection of its own, declared by this service with the client's topology recovery: after
/// a reconnect the client declares it again. It goes with the process: the exclusive queue is deleted with the
/// connection, and the auto-delete filter exchange with its last binding. The queue and its exchange are MassTransit's
/// (a temporary endpoint, not bound to the source itself). Until the filter is declared, the queue receives nothing:
/// the service starts without the broker, and this keeps trying. In-process (no RabbitMQ) it does nothing.
/// </para>
/// <para>
/// Its health check is Degraded while the filter is not in place (not declared yet, or its connection down): the
/// service still works, but the queue hears nothing of the other replicas.
/// </para>
/// </summary>
public sealed class ForeignEventsFilter(Uri? rabbitMq, string source, string queue, ILogger<ForeignEventsFilter> logger) : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
    // Written by the declaring loop, read by health checks on other threads.
    private volatile IConnection? _connection;

    public string FilterExchange => $"{queue}.filter";
    public string OwnQueue => $"{queue}.own";

    /// <summary>Completed once the filter is declared (for tests).</summary>
    public Task Declared => _declared.Task;
    private readonly TaskCompletionSource _declared = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (rabbitMq is null) return; // in-process: the bus delivers everything
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _connection = await DeclareAsync(rabbitMq, stoppingToken);
                _declared.TrySetResult();
                logger.LogInformation("Events of {Source} reach {Queue} except this process's own ({Filter})", source, queue, FilterExchange);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not declare the filter of {Queue} on RabbitMQ; retrying in {Delay}", queue, RetryAfter);
                try { await Task.Delay(RetryAfter, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task<IConnection> DeclareAsync(Uri broker, CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            Uri = broker,
            ClientProvidedName = $"{queue} filter",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
        };
        var connection = await factory.CreateConnectionAsync(ct);
        try
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            // As MassTransit declares a published message's exchange: durable fanout.
            await channel.ExchangeDeclareAsync(source, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
            await channel.ExchangeDeclareAsync(FilterExchange, ExchangeType.Headers, durable: false, autoDelete: true,
                arguments: new Dictionary<string, object?> { ["alternate-exchange"] = queue }, cancellationToken: ct);
            await channel.QueueDeclareAsync(OwnQueue, durable: false, exclusive: true, autoDelete: true,
                arguments: new Dictionary<string, object?> { ["x-max-length"] = 0 }, cancellationToken: ct);
            await channel.QueueBindAsync(OwnQueue, FilterExchange, routingKey: "",
                arguments: new Dictionary<string, object?> { ["x-match"] = "all", [EventOrigin.Header] = EventOrigin.Process }, cancellationToken: ct);
            await channel.ExchangeBindAsync(FilterExchange, source, routingKey: "", cancellationToken: ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(rabbitMq is null || _connection is { IsOpen: true }
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"{queue} hears nothing of the other replicas: its filter on {source} is not declared, or its connection is down"));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_connection is { } connection)
        {
            try { await connection.CloseAsync(cancellationToken); }
            catch (Exception ex) { logger.LogDebug(ex, "Closing the filter connection of {Queue}", queue); }
            await connection.DisposeAsync();
        }
    }
}
