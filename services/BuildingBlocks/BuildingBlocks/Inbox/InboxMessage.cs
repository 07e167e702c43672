using Microsoft.EntityFrameworkCore;

namespace PerfPlatform.BuildingBlocks.Inbox;

/// <summary>
/// A message a consumer has already applied, stored in the same transaction as its effect,
/// so that a redelivered message changes nothing.
/// </summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

public interface IInboxDbContext
{
    DbSet<InboxMessage> InboxMessages { get; }
}

public static class InboxModel
{
    public static ModelBuilder AddInbox(this ModelBuilder model)
    {
        model.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => new { m.MessageId, m.Consumer });
            e.Property(m => m.Consumer).HasMaxLength(200);
        });
        return model;
    }

    /// <summary>
    /// True when this consumer already applied the message. Otherwise records it in the unit of work, to be
    /// saved with the consumer's effect (a concurrent duplicate then fails on the primary key and is retried,
    /// finding the record).
    /// </summary>
    public static async Task<bool> AlreadyProcessedAsync(this IInboxDbContext db, Guid messageId, string consumer, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, ct))
            return true;
        db.InboxMessages.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = now });
        return false;
    }
}
