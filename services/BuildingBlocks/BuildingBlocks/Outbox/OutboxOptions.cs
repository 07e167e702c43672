namespace PerfPlatform.BuildingBlocks.Outbox;

/// <summary>Limits of the outbox dispatcher (configuration section "Outbox"). The defaults suit every service.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>A publish, with its broker confirm, that takes longer fails: the row stays for the sweep. Nothing waits forever.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Failures of a row that were not the broker's (an unknown type, a payload that cannot be read or serialized) before
    /// it moves to the dead-letter table. Broker failures (timeouts, lost connections) never count: they end by themselves.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Publishing failing for this long makes the dispatcher replace its publishing bus, with a new connection.</summary>
    public TimeSpan RestartBusAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An event waiting longer than this makes the outbox's health Degraded.</summary>
    public TimeSpan LagDegradedAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the lag (pending count, oldest age) and the dead letters are measured.</summary>
    public TimeSpan MeasureInterval { get; set; } = TimeSpan.FromSeconds(2);
}
