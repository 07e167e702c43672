using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.BuildingBlocks.Batching;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>
/// The one write path of a year. Every change (a value, an edit of the structure, an import, a workflow step, a
/// republish) is a mutation queued to its year; the year's writer takes what waited (group commit, as Scoring's
/// batcher) and applies it in arrival order. Each mutation loads what it needs, is checked against the year's
/// state, applies, bumps the version, appends its audit records and its event to the outbox, in one transaction.
/// <para>
/// The most frequent change, a value on a strategic objective, goes through a cheaper lane: consecutive ones
/// share one transaction, and the branches their events describe are kept from one batch to the next while the
/// year's version stays this writer's (the database refuses an update of the year made from another version than its own, so a stale
/// copy can only fail a save, never be written). Each still gets its own version, history entry, audit record and event.
/// </para>
/// </summary>
public sealed class YearWriter
{
    private const int MaxConcurrencyRetries = 10;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly KeyedBatchQueue<int, Mutation> _years;
    private readonly ConcurrentDictionary<int, KnownYear> _known = new();

    public YearWriter(IServiceScopeFactory scopes, TimeProvider clock)
    {
        _scopes = scopes;
        _clock = clock;
        _years = new KeyedBatchQueue<int, Mutation>(WriteAsync);
    }

    /// <summary>How a mutation finds its part of the year (tracked); null: the year is not held.</summary>
    public delegate Task<PlanYear?> Loader(ObjectivesDbContext db, int year);

    /// <summary>
    /// Queues a change to <paramref name="year"/>. <paramref name="apply"/> may run more than once (a concurrent
    /// writer on another replica makes the writer replay it on fresh data), so it only touches what it is given.
    /// </summary>
    /// <param name="checksLock">false for the workflow's own steps and the republish, which decide for themselves.</param>
    public Task<T> SubmitAsync<T>(int year, string reason, Actor actor, Loader load, Func<YearChange, T> apply, bool checksLock = true)
    {
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _years.Enqueue(year, new General(actor, TraceId(), reason, load, c => apply(c), checksLock, done));
        return Cast<T>(done.Task);
    }

    /// <summary>
    /// A value on a strategic objective, the hot path. Its completion runs the caller's continuation (the gRPC answer)
    /// on the writer's thread: one thread-pool hop less per change, and the caller only maps and sends the entry.
    /// </summary>
    public Task<RealizationEntry> SetStrategicValueAsync(int year, string code, Realization value, DateOnly asOf, string? note, Actor actor)
    {
        var request = new StrategicValue(actor, TraceId(), code.Trim().TrimEnd('.'), value, asOf, PlanRecords.Blank(note),
            new TaskCompletionSource<RealizationEntry>());
        _years.Enqueue(year, request);
        return request.Done.Task;
    }

    private static async Task<T> Cast<T>(Task<object?> task) => (T)(await task)!;

    private static string? TraceId() => Activity.Current?.TraceId.ToHexString();

    private abstract record Mutation(Actor Actor, string? TraceId);

    private sealed record General(Actor Actor, string? TraceId, string Reason, Loader Load, Func<YearChange, object?> Apply, bool ChecksLock,
        TaskCompletionSource<object?> Done) : Mutation(Actor, TraceId);

    private sealed record StrategicValue(Actor Actor, string? TraceId, string Code, Realization Value, DateOnly AsOf, string? Note,
        TaskCompletionSource<RealizationEntry> Done) : Mutation(Actor, TraceId);

    /// <summary>The batch in arrival order: each run of strategic values in one transaction, every other mutation in its own.</summary>
    private async Task WriteAsync(int year, IReadOnlyList<Mutation> batch)
    {
        var values = new List<StrategicValue>();
        foreach (var mutation in batch)
        {
            if (mutation is StrategicValue value)
            {
                values.Add(value);
                continue;
            }
            await FlushAsync(year, values);
            await GuardAsync(() => ApplyAsync(year, (General)mutation), ex => ((General)mutation).Done.TrySetException(ex));
        }
        await FlushAsync(year, values);
    }

    private async Task FlushAsync(int year, List<StrategicValue> values)
    {
        if (values.Count == 0) return;
        var run = values.ToList();
        values.Clear();
        await GuardAsync(() => WriteValuesAsync(year, run), ex =>
        {
            foreach (var v in run) v.Done.TrySetException(ex);
        });
    }

    private async Task GuardAsync(Func<Task> write, Action<Exception> fail)
    {
        try
        {
            await write();
        }
        catch (Exception ex)
        {
            fail(ex);
        }
    }

    /// <summary>
    /// The one retry policy: a save that fails on the year's version (another replica wrote in between) is replayed
    /// on fresh data; only a collision on data just read backs off, with jitter.
    /// </summary>
    private async Task RetryOnConflictAsync(int year, Func<ObjectivesDbContext, Task> attempt)
    {
        for (var i = 1; ; i++)
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ObjectivesDbContext>();
            bool freshRead;
            try
            {
                await attempt(db);
                return;
            }
            catch (ConflictException conflict) when (i < MaxConcurrencyRetries)
            {
                freshRead = conflict.FreshRead;
            }
            catch (ConflictException conflict)
            {
                _known.TryRemove(year, out _);
                throw conflict.InnerException!;
            }
            catch
            {
                _known.TryRemove(year, out _);
                throw;
            }
            _known.TryRemove(year, out _);
            if (freshRead) await Task.Delay(Random.Shared.Next(5, 20 * i));
        }
    }

    /// <summary>Wraps a version conflict with whether the data it was applied to had just been read.</summary>
    private sealed class ConflictException(DbUpdateException inner, bool freshRead) : Exception(inner.Message, inner)
    {
        public bool FreshRead { get; } = freshRead;
    }

    private static Task SaveAsync(ObjectivesDbContext db, bool freshRead) => SaveAsync(() => db.SaveChangesAsync(), freshRead);

    private static async Task SaveAsync(Func<Task> save, bool freshRead)
    {
        try
        {
            await save();
        }
        // The database refused the year's update: another replica moved the year on since it was read (VersionCheck).
        // A row gone from under an update is the same story.
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || VersionCheck.IsConflict(ex))
        {
            throw new ConflictException(ex, freshRead);
        }
    }

    // ---- every mutation but a strategic value ------------------------------------------------------------

    private Task ApplyAsync(int year, General mutation) => RetryOnConflictAsync(year, async db =>
    {
        var plan = await mutation.Load(db, year);
        if (plan is not null && mutation.ChecksLock) YearWorkflow.EnsureChangeable(year, plan.State);
        var change = new YearChange(db, year, plan, mutation.Actor, mutation.TraceId, _clock.GetUtcNow(), mutation.Reason);
        object? result;
        try
        {
            result = mutation.Apply(change);
        }
        catch (Exception ex)
        {
            // A refused change: nothing was saved; the caller gets the reason.
            mutation.Done.TrySetException(ex);
            return;
        }
        if (!change.HasChanges)
        {
            mutation.Done.TrySetResult(result);
            return;
        }

        plan = change.RequirePlan();
        if (!change.Republish && !change.VersionAssigned) plan.Version++;
        foreach (var entry in change.Entries) entry.Version = plan.Version;
        foreach (var record in change.AuditRecords) record.Version = plan.Version;
        await using var transaction = change.Archived is null ? null : await db.Database.BeginTransactionAsync();
        if (change.Archived is not null)
        {
            // The archived copy first: the year's unique index admits one current copy at a time.
            await SaveAsync(db, freshRead: true);
            db.PlanYears.Add(plan);
        }
        db.AuditRecords.AddRange(change.AuditRecords);
        var all = change.WholeYear || change.Republish;
        db.AddToOutbox(PlanEvents.Changed(plan, change.Reason, mutation.Actor.Name, change.Now,
                all ? PlanCommands.AllStrategic(plan) : change.Touched.Where(s => !change.Removed.Contains(s.Code)),
                change.Removed, all ? plan.Areas : change.Areas, includeEntityLevel: all),
            Guid.NewGuid(), change.Now);
        await SaveAsync(db, freshRead: true);
        if (transaction is not null) await transaction.CommitAsync();
        // The structure or the state may have moved: the value lane reads its branches again.
        _known.TryRemove(year, out _);
        mutation.Done.TrySetResult(result);
    });

    // ---- the value lane ------------------------------------------------------------------------------------

    private Task WriteValuesAsync(int year, IReadOnlyList<StrategicValue> batch) => RetryOnConflictAsync(year, async db =>
    {
        var codes = batch.Select(r => r.Code).Distinct().ToList();
        var known = _known.GetValueOrDefault(year);
        var fromCache = known is not null && codes.All(known.Branches.ContainsKey);
        // A value that looks like the one in force is decided on fresh data: another replica may have moved it.
        if (fromCache && batch.Any(r => known!.Branches[r.Code].Holds(r))) fromCache = false;
        if (!fromCache)
        {
            // One read, untracked: the branches' event content and the year's version and state, from the same statement.
            var read = await (
                    from y in db.PlanYears.Current()
                    where y.Year == year
                    from so in db.StrategicObjectives
                    where so.PlanYearId == y.Id && codes.Contains(so.Code)
                    select new Branch(y.Id, y.Version, y.State, so.Id, so.Code, so.Title, so.Area.Number, so.Realization, so.Explanation, so.Declared,
                        so.OperationalObjectives.OrderBy(o => o.Position)
                            .Select(o => new Operational(o.Id, o.Title, o.Weight, o.Realization, o.Bes, o.Sectors)).ToList()))
                .AsNoTracking()
                .ToListAsync();
            if (read.Count == 0)
            {
                var yearExists = await db.PlanYears.Current().AnyAsync(y => y.Year == year);
                foreach (var request in batch)
                    request.Done.TrySetException(yearExists
                        ? new PlanItemNotFoundException("strategic objective", $"{year}/{request.Code}")
                        : new PlanItemNotFoundException("year", year.ToString()));
                return;
            }
            var first = read[0];
            if (known is null || known.PlanId != first.PlanId || known.Version != first.PlanVersion)
                known = new KnownYear(first.PlanId, first.PlanVersion, first.State);
            foreach (var branch in read) known.Branches[branch.Code] = branch;
            _known[year] = known;
        }
        var branches = known!.Branches;
        if (YearWorkflow.IsLocked(known.State))
        {
            var locked = new YearLockedException(year, known.State);
            foreach (var request in batch) request.Done.TrySetException(locked);
            return;
        }

        // Written past EF's change tracker (RowBatch, one round trip): the year's version (checked by the database
        // against the version read), each branch's value and explanation, the history, the audit trail and the events.
        // The year's row first: its trigger refuses the batch if the year moved on from the version read. Every row's
        // values are read as the batch executes, so the year's and each branch's final values are the ones written.
        var plan = new PlanYear { Id = known.PlanId, Year = year, EntityName = "", Version = known.Version, VersionBase = known.Version };
        var rows = new RowBatch(db).Update(plan, nameof(PlanYear.Version), nameof(PlanYear.VersionBase));
        var stubs = new Dictionary<string, StrategicObjective>(StringComparer.Ordinal);
        var current = new Dictionary<string, Branch>(StringComparer.Ordinal);
        var results = new List<(StrategicValue Request, RealizationEntry? Entry)>();
        var now = _clock.GetUtcNow();
        var period = YearWorkflow.PeriodOf(known.State);
        foreach (var request in batch)
        {
            if (!branches.TryGetValue(request.Code, out var branch))
            {
                results.Add((request, null));
                continue;
            }
            var held = current.GetValueOrDefault(request.Code) ?? branch;
            if (held.Holds(request))
            {
                // The same value, note and date as the entry in force: nothing to record, version or send.
                var last = held.Last ?? await LastEntryAsync(db, branch.Id);
                if (last is not null && last.AsOf == request.AsOf && last.Period == period && last.Realization == request.Value)
                {
                    current[request.Code] = held with { Last = last };
                    results.Add((request, last));
                    continue;
                }
            }
            if (!stubs.TryGetValue(request.Code, out var so))
            {
                so = new StrategicObjective { Id = branch.Id, PlanYearId = branch.PlanId, Code = branch.Code, Title = branch.Title };
                stubs[request.Code] = so;
                rows.Update(so, nameof(StrategicObjective.Realization), nameof(StrategicObjective.Explanation));
            }
            so.Realization = request.Value;
            so.Explanation = request.Note;
            plan.Version++;
            var entry = PlanRecords.Entry(branch.PlanId, branch.Id, null, request.Value, request.AsOf, request.Note, now, request.Actor, "grpc",
                plan.Version, period);
            var audit = PlanRecords.Audit(year, request.Actor, request.TraceId, now, PlanEvents.RealizationSetReason, "strategic-objective",
                branch.Code, branch.Code, "realization", PlanRecords.Text(held.Own), PlanRecords.Text(request.Value), request.Note);
            audit.Version = plan.Version;
            current[request.Code] = held with { Own = request.Value, Explanation = request.Note, Last = entry };
            rows.Insert(entry).Insert(audit).Insert(OutboxMessage.From(
                PlanEvents.RealizationSet(year, plan.Version, known.State, request.Actor.Name, now, branch.Snapshot(request.Value)), Guid.NewGuid(), now));
            results.Add((request, entry));
        }

        if (stubs.Count > 0) await SaveAsync(() => rows.ExecuteAsync(), freshRead: !fromCache);
        known.Version = plan.Version;
        foreach (var (code, held) in current) branches[code] = held;

        foreach (var (request, entry) in results)
        {
            if (entry is null) request.Done.TrySetException(new PlanItemNotFoundException("strategic objective", $"{year}/{request.Code}"));
            else request.Done.TrySetResult(entry);
        }
    });

    private static Task<RealizationEntry?> LastEntryAsync(ObjectivesDbContext db, Guid strategicId) =>
        db.RealizationEntries.AsNoTracking().Where(e => e.StrategicObjectiveId == strategicId)
            .OrderByDescending(e => e.Version).FirstOrDefaultAsync();

    /// <summary>
    /// The branches of a year the value lane has read, as of the year's version and state. Touched by the year's
    /// writer alone (one writer per year).
    /// </summary>
    private sealed class KnownYear(Guid planId, long version, YearState state)
    {
        public Guid PlanId { get; } = planId;
        public long Version { get; set; } = version;
        public YearState State { get; } = state;
        public Dictionary<string, Branch> Branches { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Operational(Guid Id, string Title, decimal Weight, Realization? Realization, BesDimension Bes, List<string> Sectors);

    /// <summary>What the event of a value set carries about its strategic objective, and its value in force.</summary>
    /// <param name="Last">The entry in force, once this writer has written or read it; null: not known.</param>
    private sealed record Branch(Guid PlanId, long PlanVersion, YearState State, Guid Id, string Code, string Title, int AreaNumber,
        Realization? Own, string? Explanation, Realization? Declared, List<Operational> Operationals, RealizationEntry? Last = null)
    {
        /// <summary>Whether the branch holds this value and note already (the date is the entry's, checked apart).</summary>
        public bool Holds(StrategicValue request) => Own == request.Value && Explanation == request.Note;

        public StrategicObjectiveSnapshot Snapshot(Realization value) => new(
            Code, AreaNumber, Title, value.Value, Declared?.Value,
            Operationals.Select(o => PlanEvents.Operational(o.Id, o.Title, o.Weight, o.Realization, o.Bes, o.Sectors)).ToList());
    }
}
