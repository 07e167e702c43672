using Microsoft.EntityFrameworkCore;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Tests.Events;

namespace PerfPlatform.BuildingBlocks.Tests;

/// <summary>What a service's command handler does: the change and its event in one unit of work.</summary>
public static class Widgets
{
    /// <summary>Adds a widget and its <see cref="WidgetCreated"/> to the unit of work (not saved); returns the event's message id.</summary>
    public static Guid Add(OutboxTestDbContext db, Guid runId, int sequence, string name)
    {
        var messageId = Guid.NewGuid();
        db.Widgets.Add(new Widget { Name = name });
        db.AddToOutbox(new WidgetCreated(runId, sequence, name), messageId, DateTimeOffset.UtcNow);
        return messageId;
    }

    /// <summary>Adds and commits a widget with its event; returns the event's message id.</summary>
    public static async Task<Guid> CommitAsync(OutboxTestDbContext db, Guid runId, int sequence, string name)
    {
        var messageId = Add(db, runId, sequence, name);
        await db.SaveChangesAsync();
        return messageId;
    }

    public static async Task<OutboxMessage?> OutboxRowAsync(OutboxTestDbContext db, Guid messageId) =>
        await db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.MessageId == messageId);
}
