using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.BuildingBlocks.Batching;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>
/// Group commit for the most frequent change, a value set on a strategic objective: the values queued for a year
/// while the previous batch was being written go into one transaction. Each keeps its own version, history entry
/// and event, in arrival order; the read, the commit and the year's row are shared. The branches an event describes
/// are kept from one batch to the next while the year's version stays this writer's, so a batch usually costs only its
/// save; otherwise one untracked read first. The writes go through stubs, so there is little change tracking.
/// </summary>
public sealed class RealizationWriter
{
    private const int MaxConcurrencyRetries = 10;
    private readonly IServiceScopeFactory _scopes;
    private readonly YearWriteGate _gate;
    private readonly TimeProvider _clock;
    private readonly KeyedBatchQueue<int, Request> _years;
    private readonly ConcurrentDictionary<int, KnownYear> _known = new();

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
            var codes = batch.Select(r => r.Code).Distinct().ToList();
            var known = _known.GetValueOrDefault(year);
            var fromCache = known is not null && codes.All(known.Branches.ContainsKey);
            if (!fromCache)
            {
                // One read, untracked: the branches' event content and the year's version, from the same statement.
                var read = await (
                        from y in db.PlanYears
                        where y.Year == year
                        from so in db.StrategicObjectives
                        where so.PlanYearId == y.Id && codes.Contains(so.Code)
                        select new Branch(y.Id, y.Version, so.Id, so.Code, so.Title, so.Area.Number, so.Declared,
                            so.OperationalObjectives.OrderBy(o => o.Position)
                                .Select(o => new Operational(o.Id, o.Title, o.Weight, o.Realization, o.Bes, o.Sectors)).ToList()))
                    .AsNoTracking()
                    .ToListAsync();
                if (read.Count == 0)
                {
                    var yearExists = await db.PlanYears.AnyAsync(y => y.Year == year);
                    foreach (var request in batch)
                        request.Done.TrySetException(yearExists
                            ? new PlanItemNotFoundException("strategic objective", $"{year}/{request.Code}")
                            : new PlanItemNotFoundException("year", year.ToString()));
                    return;
                }
                var (planId, version) = (read[0].PlanId, read[0].PlanVersion);
                if (known is null || known.PlanId != planId || known.Version != version) known = new KnownYear(planId, version);
                foreach (var branch in read) known.Branches[branch.Code] = branch;
                _known[year] = known;
            }
            var branches = known!.Branches;

            // Written through stubs: the year's version (its concurrency token: another replica's write in between
            // fails this save and the batch is replayed), each branch's latest value, the history and the events.
            var plan = new PlanYear { Id = known.PlanId, Year = year, EntityName = "", Version = known.Version };
            db.PlanYears.Attach(plan);
            var stubs = new Dictionary<string, StrategicObjective>(StringComparer.Ordinal);
            var results = new List<(Request Request, RealizationEntry? Entry)>();
            var now = _clock.GetUtcNow();
            foreach (var request in batch)
            {
                if (!branches.TryGetValue(request.Code, out var branch))
                {
                    results.Add((request, null));
                    continue;
                }
                if (!stubs.TryGetValue(request.Code, out var so))
                {
                    so = new StrategicObjective { Id = branch.Id, PlanYearId = branch.PlanId, Code = branch.Code, Title = branch.Title };
                    db.StrategicObjectives.Attach(so);
                    stubs[request.Code] = so;
                }
                so.Realization = request.Realization;
                db.Entry(so).Property(s => s.Realization).IsModified = true;
                plan.Version++;
                var entry = new RealizationEntry
                {
                    Id = Guid.NewGuid(), PlanYearId = branch.PlanId, StrategicObjectiveId = branch.Id, Realization = request.Realization,
                    AsOf = request.AsOf, Note = request.Note, RecordedAt = now, RecordedBy = request.Author, Source = "grpc",
                    Version = plan.Version,
                };
                db.RealizationEntries.Add(entry);
                db.AddToOutbox(PlanEvents.RealizationSet(year, plan.Version, request.Author, now, branch.Snapshot(request.Realization)),
                    Guid.NewGuid(), now);
                results.Add((request, entry));
            }

            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // The year moved on since it was read (another replica, or another kind of change here): replay the
                // batch on fresh data. Only a collision on fresh data backs off.
                _known.TryRemove(year, out var _);
                if (!fromCache) await Task.Delay(Random.Shared.Next(5, 20 * attempt));
                continue;
            }
            catch
            {
                _known.TryRemove(year, out var _);
                throw;
            }
            known.Version = plan.Version;

            foreach (var (request, entry) in results)
            {
                if (entry is null) request.Done.TrySetException(new PlanItemNotFoundException("strategic objective", $"{year}/{request.Code}"));
                else request.Done.TrySetResult(entry);
            }
            return;
        }
    }

    /// <summary>
    /// The branches of a year this writer has read, as of the year's version: the version is the concurrency token
    /// of every save, and every change to a plan moves it, so a stale copy can only fail a save, never be written.
    /// Touched by the year's writer alone (under the gate).
    /// </summary>
    private sealed class KnownYear(Guid planId, long version)
    {
        public Guid PlanId { get; } = planId;
        public long Version { get; set; } = version;
        public Dictionary<string, Branch> Branches { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Operational(Guid Id, string Title, decimal Weight, Realization? Realization, BesDimension Bes, List<string> Sectors);

    /// <summary>What the event of a value set carries about its strategic objective.</summary>
    private sealed record Branch(Guid PlanId, long PlanVersion, Guid Id, string Code, string Title, int AreaNumber, Realization? Declared,
        List<Operational> Operationals)
    {
        public StrategicObjectiveSnapshot Snapshot(Realization value) => new(
            Code, AreaNumber, Title, value.Value, Declared?.Value,
            Operationals.Select(o => PlanEvents.Operational(o.Id, o.Title, o.Weight, o.Realization, o.Bes, o.Sectors)).ToList());
    }
}
