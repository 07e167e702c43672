using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PerfPlatform.BuildingBlocks.Outbox;

/// <summary>The last measurement of one outbox: what the metrics export and the health check reads.</summary>
public sealed class OutboxState<TContext> where TContext : DbContext
{
    public string Name { get; } = typeof(TContext).Name;
    public DateTimeOffset? MeasuredAt { get; internal set; }
    /// <summary>Rows not yet published.</summary>
    public long Pending { get; internal set; }
    /// <summary>When the oldest unpublished row was committed; null when none waits.</summary>
    public DateTimeOffset? OldestPending { get; internal set; }
    public long DeadLetters { get; internal set; }
    public string? MeasureError { get; internal set; }

    public TimeSpan OldestAge(DateTimeOffset now) => OldestPending is { } oldest && now > oldest ? now - oldest : TimeSpan.Zero;
}

/// <summary>
/// The outbox's meter, "PerfPlatform.Outbox" (exported by ServiceDefaults' OpenTelemetry): per outbox (tag
/// <c>outbox</c>, the context's name), the pending count, the age of the oldest pending row and the dead letters, as
/// gauges; publish failures, dead-lettered rows and bus restarts as counters.
/// </summary>
public static class OutboxMetrics
{
    public const string MeterName = "PerfPlatform.Outbox";
    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<object, Func<(string Name, long Pending, double OldestAgeSeconds, long DeadLetters)>> Outboxes = new();

    internal static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>("perf.outbox.publish_failures", description: "Publishes that failed or timed out");
    internal static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("perf.outbox.dead_lettered", description: "Rows moved to the dead-letter table");
    internal static readonly Counter<long> BusRestarts = Meter.CreateCounter<long>("perf.outbox.bus_restarts", description: "Bus restarts after publishing failed for long");

    static OutboxMetrics()
    {
        Meter.CreateObservableGauge("perf.outbox.pending", () => Observe(o => o.Pending), description: "Outbox rows not yet published");
        Meter.CreateObservableGauge("perf.outbox.oldest_age", () => Observe(o => o.OldestAgeSeconds), unit: "s", description: "Age of the oldest unpublished outbox row");
        Meter.CreateObservableGauge("perf.outbox.dead_letters", () => Observe(o => o.DeadLetters), description: "Rows in the outbox's dead-letter table");
    }

    private static IEnumerable<Measurement<T>> Observe<T>(Func<(string Name, long Pending, double OldestAgeSeconds, long DeadLetters), T> value) where T : struct =>
        Outboxes.Values.Select(read => read()).Select(o => new Measurement<T>(value(o), new KeyValuePair<string, object?>("outbox", o.Name)));

    internal static void Track(object key, Func<(string, long, double, long)> read) => Outboxes[key] = read;
    internal static void Untrack(object key) => Outboxes.TryRemove(key, out _);
    internal static KeyValuePair<string, object?> Tag(string outbox) => new("outbox", outbox);
}

/// <summary>
/// Measures an outbox on its own timer, apart from the dispatcher, so that a dispatcher that cannot publish still shows
/// in metrics and health.
/// </summary>
public sealed class OutboxMonitor<TContext>(
    IServiceScopeFactory scopes, OutboxState<TContext> state, IOptions<OutboxOptions> options, TimeProvider clock,
    ILogger<OutboxMonitor<TContext>> logger) : BackgroundService
    where TContext : DbContext, IOutboxDbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        OutboxMetrics.Track(state, () => (state.Name, state.Pending, state.OldestAge(clock.GetUtcNow()).TotalSeconds, state.DeadLetters));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await MeasureAsync(stoppingToken);
                await Task.Delay(options.Value.MeasureInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            OutboxMetrics.Untrack(state);
        }
    }

    public async Task MeasureAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var pending = db.OutboxMessages.AsNoTracking().Where(m => m.DispatchedAt == null);
            state.Pending = await pending.LongCountAsync(ct);
            // Store order is commit order; SQLite cannot take the minimum of a DateTimeOffset column.
            state.OldestPending = state.Pending == 0 ? null
                : await pending.OrderBy(m => m.Id).Select(m => (DateTimeOffset?)m.OccurredAt).FirstOrDefaultAsync(ct);
            state.DeadLetters = await db.Set<OutboxDeadLetter>().LongCountAsync(ct);
            state.MeasureError = null;
            state.MeasuredAt = clock.GetUtcNow();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            state.MeasureError = ex.Message;
            logger.LogDebug(ex, "Could not measure the outbox of {Context}", state.Name);
        }
    }
}

/// <summary>
/// Degraded, never Unhealthy: a pod whose events wait for the broker still takes writes (their events are safe in the
/// outbox), so readiness must not take it out of service. It says how many wait, for how long, and the dead letters.
/// </summary>
public sealed class OutboxHealthCheck<TContext>(OutboxState<TContext> state, IOptions<OutboxOptions> options, TimeProvider clock) : IHealthCheck
    where TContext : DbContext
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var age = state.OldestAge(clock.GetUtcNow());
        var data = new Dictionary<string, object>
        {
            ["pending"] = state.Pending, ["oldestAgeSeconds"] = Math.Round(age.TotalSeconds, 1), ["deadLetters"] = state.DeadLetters,
        };
        var problems = new List<string>();
        if (state.DeadLetters > 0)
            problems.Add($"{state.DeadLetters} event(s) dead-lettered in outbox_dead_letters: fix the cause, then run the host with --retry-dead-letters");
        if (age > options.Value.LagDegradedAfter)
            problems.Add($"{state.Pending} event(s) unpublished, the oldest for {age.TotalSeconds:0} s (broker unreachable?)");
        if (state.MeasureError is { } error) problems.Add($"outbox not measured: {error}");
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy($"{state.Pending} event(s) pending", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems), data: data));
    }
}
