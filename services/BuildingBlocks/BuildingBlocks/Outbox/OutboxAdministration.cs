using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PerfPlatform.BuildingBlocks.Outbox;

/// <summary>What an operator does to a service's outbox (the hosts' <c>--retry-dead-letters</c>).</summary>
public interface IOutboxAdministration
{
    string Name { get; }

    /// <summary>Moves every dead-lettered row back into the outbox with no attempts counted; returns how many. One transaction.</summary>
    Task<int> RetryDeadLettersAsync(CancellationToken ct);
}

public sealed class OutboxAdministration<TContext>(IServiceScopeFactory scopes) : IOutboxAdministration
    where TContext : DbContext, IOutboxDbContext
{
    public string Name => typeof(TContext).Name;

    public async Task<int> RetryDeadLettersAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var dead = await db.Set<OutboxDeadLetter>().OrderBy(d => d.Id).ToListAsync(ct);
        foreach (var d in dead)
        {
            // Its original commit time: the sweep takes it at once. The same message id: a subscriber that got it drops it.
            db.OutboxMessages.Add(new OutboxMessage { MessageId = d.MessageId, Type = d.Type, Payload = d.Payload, OccurredAt = d.OccurredAt });
            db.Set<OutboxDeadLetter>().Remove(d);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return dead.Count;
    }
}
