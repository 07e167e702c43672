using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace PerfPlatform.BuildingBlocks.Outbox;

/// <summary>
/// An integration event stored in the same transaction as the change that caused it, published
/// afterwards by <see cref="OutboxDispatcher{TContext}"/>. No committed change without its event,
/// no event for a rolled-back change.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Store order: events are published in the order they were committed.</summary>
    public long Id { get; set; }
    /// <summary>Becomes the bus MessageId, which consumers' inboxes use to drop redeliveries.</summary>
    public Guid MessageId { get; set; }
    public required string Type { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset? DispatchedAt { get; set; }
    /// <summary>Failures that were not the broker's (see <see cref="OutboxOptions.MaxAttempts"/>).</summary>
    public int Attempts { get; set; }
    public string? LastError { get; set; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The event itself, while this instance is the one that was saved: publishing it then needs no deserializing.</summary>
    private object? _message;

    public static OutboxMessage From(object message, Guid messageId, DateTimeOffset now)
    {
        var type = message.GetType();
        return new OutboxMessage
        {
            MessageId = messageId,
            Type = $"{type.FullName}, {type.Assembly.GetName().Name}",
            Payload = JsonSerializer.Serialize(message, type, Json),
            OccurredAt = now,
            _message = message,
        };
    }

    /// <summary>The event and its type: the one saved, or else read back from <see cref="Payload"/>.</summary>
    public (object Message, Type Type) Body() =>
        _message is { } message ? (message, message.GetType()) : Deserialize();

    private (object Message, Type Type) Deserialize()
    {
        var type = System.Type.GetType(Type, throwOnError: true)!;
        return (JsonSerializer.Deserialize(Payload, type, Json)!, type);
    }
}

/// <summary>A service database that keeps an outbox.</summary>
public interface IOutboxDbContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }
}

public static class OutboxModel
{
    public static ModelBuilder AddOutbox(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.HasIndex(m => m.MessageId).IsUnique();
            e.HasIndex(m => m.DispatchedAt);
            e.Property(m => m.Type).HasMaxLength(400);
        });
        model.Entity<OutboxDeadLetter>(e =>
        {
            e.ToTable("outbox_dead_letters");
            e.HasKey(m => m.Id);
            e.HasIndex(m => m.MessageId).IsUnique();
            e.Property(m => m.Type).HasMaxLength(400);
            e.Property(m => m.Reason).HasMaxLength(2000);
        });
        return model;
    }

    /// <summary>Adds an event to the outbox of the unit of work; it is saved with the change.</summary>
    public static void AddToOutbox(this IOutboxDbContext db, object message, Guid messageId, DateTimeOffset now) =>
        db.OutboxMessages.Add(OutboxMessage.From(message, messageId, now));
}
