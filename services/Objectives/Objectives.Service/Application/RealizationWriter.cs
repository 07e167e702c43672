using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.BuildingBlocks.Batching;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>
/// Group commit for the most frequent change, a value set on a strategic objective: the values queued for a year
/// while the previous batch was being written go into one transaction. Each keeps its own version, history entry
/// and event, in arrival order; the commit, the year's row and the branch loads are shared. Under load this turns
/// many small transactions into few, so the year's single writer keeps up.
/// </summary>
public sealed class RealizationWriter
{
    private const int MaxConcurrencyRetries = 10;
    private readonly IServiceScopeFactory _scopes;
    private readonly YearWriteGate _gate;
    private readonly TimeProvider _clock;
    private readonly KeyedBatchQueue<int, Request> _years;

    public RealizationWriter(IServiceScopeFactory scopes, YearWriteGate gate, TimeProvider clock)
    {
        _scopes = scopes;
        _gate = gate;
        _clock = clock;
        _years = new KeyedBatchQueue<int, Request>(WriteOrFailAsync);
    }

    private sealed record Request(string Code, Realization Realization, DateOnly AsOf, string? Note, string Author,
        TaskCompletionSource<RealizationEntry> Done);

    public Task<RealizationEntry> SetAsync(int year, string code, Realization realization, DateOnly asOf, string? note, string author)
    {
        var request = new Request(code.Trim().TrimEnd('.'), realization, asOf, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), author,
            new TaskCompletionSource<RealizationEntry>(TaskCreationOptions.RunContinuationsAsynchronously));
        _years.Enqueue(year, request);
        return request.Done.Task;
    }

    private async Task WriteOrFailAsync(int year, IReadOnlyList<Request> batch)
    {
        try
        {
            await WriteBatchAsync(year, batch);
        }
        catch (Exception ex)
        {
            foreach (var request in batch) request.Done.TrySetException(ex);
        }
    }

    private async Task WriteBatchAsync(int year, IReadOnlyList<Request> batch)
    {
        using var _ = await _gate.EnterAsync(year, CancellationToken.None);
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ObjectivesDbContext>();
            var plan = await db.PlanYears.SingleOrDefaultAsync(y => y.Year == year);
            if (plan is null)
            {
                foreach (var request in batch) request.Done.TrySetException(new PlanItemNotFoundException("year", year.ToString()));
                return;
            }
            var codes = batch.Select(r => r.Code).Distinct().ToList();
            var branches = await db.StrategicObjectives
                .Where(s => s.PlanYearId == plan.Id && codes.Contains(s.Code))
                .Include(s => s.Area)
                .Include(s => s.OperationalObjectives)
                .ToDictionaryAsync(s => s.Code);

            var results = new List<(Request Request, RealizationEntry? Entry)>();
            foreach (var request in batch)
            {
                if (!branches.TryGetValue(request.Code, out var so))
                {
                    results.Add((request, null));
                    continue;
                }
                so.Realization = request.Realization;
                plan.Version++;
                var entry = new RealizationEntry
                {
                    Id = Guid.NewGuid(), PlanYearId = plan.Id, StrategicObjectiveId = so.Id, Realization = request.Realization,
                    AsOf = request.AsOf, Note = request.Note, RecordedAt = _clock.GetUtcNow(), RecordedBy = request.Author, Source = "grpc",
                    Version = plan.Version,
                };
                db.RealizationEntries.Add(entry);
                db.AddToOutbox(PlanEvents.Changed(plan, "realization-set", request.Author, _clock.GetUtcNow(), [so], [], [], includeEntityLevel: false),
                    Guid.NewGuid(), _clock.GetUtcNow());
                results.Add((request, entry));
            }

            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // Another replica wrote the year meanwhile: replay the batch on fresh data.
                await Task.Delay(Random.Shared.Next(5, 20 * attempt));
                continue;
            }

            foreach (var (request, entry) in results)
            {
                if (entry is null) request.Done.TrySetException(new PlanItemNotFoundException("strategic objective", $"{year}/{request.Code}"));
                else request.Done.TrySetResult(entry);
            }
            return;
        }
    }
}
