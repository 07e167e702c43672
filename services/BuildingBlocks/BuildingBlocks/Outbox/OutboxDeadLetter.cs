namespace PerfPlatform.BuildingBlocks.Outbox;

/// <summary>
/// An outbox row the dispatcher gave up on after <see cref="OutboxOptions.MaxAttempts"/> failures that were not the
/// broker's, with the reason. It is out of the way of the rows behind it; after a fix, the host's
/// <c>--retry-dead-letters</c> puts it back in the outbox (docs/reliability.md).
/// </summary>
public sealed class OutboxDeadLetter
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }
    public required string Type { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public int Attempts { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset DeadLetteredAt { get; set; }
}
