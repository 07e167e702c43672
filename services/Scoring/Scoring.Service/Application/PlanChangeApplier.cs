using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.Scoring.Domain;
using PerfPlatform.Scoring.Infrastructure;
using ScoreChange = PerfPlatform.IntegrationEvents.ScoreChange;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// Applies <see cref="PlanChanged"/> events, in order: stores the branches each carries (unless a newer version
/// is already held), recomputes only what they touch, and puts each resulting <see cref="ScoresRecalculated"/>
/// in the outbox. A batch of events for a year is one transaction, together with the inbox records that make
/// a redelivery a no-op; under load that keeps Scoring's writes few.
/// </summary>
public sealed class PlanChangeApplier(ScoringDbContext db, ScoreBook book, PeriodScorecards periods, TimeProvider clock)
{
    public const string ConsumerName = "scoring.plan-changed";
    private static readonly ActivitySource Activity = new("PerfPlatform");

    /// <returns>The events published, in order.</returns>
    /// <param name="checkInbox">
    /// False: take the messages as new and let a duplicate fail the batch on the inbox's primary key (the caller then
    /// applies them one by one, checking). Saves a read per batch: duplicates are rare, and never lost.
    /// </param>
    public async Task<IReadOnlyList<ScoresRecalculated>> ApplyAsync(IReadOnlyList<(PlanChanged Change, Guid MessageId)> changes,
        bool checkInbox, CancellationToken ct)
    {
        var published = new List<ScoresRecalculated>();
        foreach (var year in changes.GroupBy(c => c.Change.Year))
            published.AddRange(await ApplyYearAsync(year.Key, year.ToList(), checkInbox, ct));
        return published;
    }

    private Task<List<ScoresRecalculated>> ApplyYearAsync(int yearNumber, List<(PlanChanged Change, Guid MessageId)> changes, bool checkInbox,
        CancellationToken ct) =>
        book.WriteAsync(yearNumber, db, async (card, stored) =>
        {
            using var activity = Activity.StartActivity("scoring.recalculate");
            activity?.SetTag("perf.year", yearNumber);
            activity?.SetTag("perf.events", changes.Count);

            var now = clock.GetUtcNow();
            var ids = changes.Select(c => c.MessageId).ToList();
            var done = checkInbox
                ? (await db.InboxMessages.Where(m => m.Consumer == ConsumerName && ids.Contains(m.MessageId)).Select(m => m.MessageId).ToListAsync(ct)).ToHashSet()
                : [];
            var fresh = changes.Where(c => done.Add(c.MessageId)).ToList(); // also drops a duplicate within the batch
            // Written past EF's change tracker, as one RowBatch (YearWrites).
            var writes = new YearWrites(stored, yearNumber);
            foreach (var (_, messageId) in fresh)
                writes.Inbox(new BuildingBlocks.Inbox.InboxMessage { MessageId = messageId, Consumer = ConsumerName, ProcessedAt = now });
            var year = writes.Year;

            var published = new List<ScoresRecalculated>();
            foreach (var (change, _) in fresh)
            {
                await periods.ObserveAsync(db, writes, card, change, ct);
                var version = change.PlanVersion;
                var declarationsStored = await ApplyAreasAsync(change, card, writes, ct);
                if (change.DeclaredEntityLevelIncluded && version > year.PlanVersion)
                {
                    year.DeclaredEntityLevel = change.DeclaredEntityLevel;
                    card.SetDeclaredEntityLevel(change.DeclaredEntityLevel);
                    declarationsStored = true;
                }

                bool IsNewer(string code) => card.VersionOf(code) is not { } held || held < version;
                var upserts = change.StrategicObjectives.Where(s => IsNewer(s.Code)).Select(s => ToBranch(s, version)).ToList();
                var removed = change.RemovedStrategicObjectiveCodes.Where(IsNewer).ToList();
                // A resync is the whole year: what it does not carry no longer exists (docs/reliability.md).
                if (change.Reason == PlanChanged.ResyncReason) removed.AddRange(await AbsentFromResyncAsync(change, removed, IsNewer, ct));
                foreach (var branch in upserts) Store(writes, card, yearNumber, branch, removed: false);
                foreach (var code in removed) Store(writes, card, yearNumber, null, removed: true, code, version);

                var recalculation = card.Apply(upserts, removed, version);
                // A late, older event carries nothing not already superseded: only its inbox record is saved.
                if (!declarationsStored && upserts.Count == 0 && removed.Count == 0) continue;

                year.PlanVersion = Math.Max(year.PlanVersion, version);
                year.ScoreVersion++;
                if (recalculation.HasChanges)
                {
                    var recalculated = new ScoresRecalculated
                    {
                        EventId = Guid.NewGuid(), Year = yearNumber, ScoreVersion = year.ScoreVersion, PlanVersion = version,
                        CausationId = change.EventId, CalculatedAt = now,
                        Changes = recalculation.Changes.Select(c => new ScoreChange(c.Level.ToString(), c.Key, c.Old, c.New)).ToList(),
                    };
                    writes.Outbox(OutboxMessage.From(recalculated, recalculated.EventId, now));
                    published.Add(recalculated);
                }
            }
            try
            {
                // One round trip: the year's score version is checked by the database.
                await writes.ToBatch(db).ExecuteAsync(ct);
            }
            catch
            {
                periods.Forget(yearNumber);
                throw;
            }
            activity?.SetTag("perf.recalculations", published.Count);
            return (published, year);
        }, ct);

    /// <summary>The live branches held for the year that a resync leaves out (and that are older than it).</summary>
    private async Task<IEnumerable<string>> AbsentFromResyncAsync(PlanChanged change, List<string> removed, Func<string, bool> isNewer, CancellationToken ct)
    {
        var carried = change.StrategicObjectives.Select(s => s.Code).Concat(removed).ToHashSet(StringComparer.Ordinal);
        var held = await db.Branches.AsNoTracking().Where(b => b.Year == change.Year && !b.Removed).Select(b => b.Code).ToListAsync(ct);
        return held.Where(code => !carried.Contains(code) && isNewer(code)).ToList();
    }

    /// <returns>Whether any area was stored.</returns>
    private async Task<bool> ApplyAreasAsync(PlanChanged change, YearScorecard card, YearWrites writes, CancellationToken ct)
    {
        if (change.Areas.Count == 0) return false;
        var stored = false;
        var numbers = change.Areas.Where(a => writes.Area(a.Number) is null).Select(a => a.Number).ToList();
        var held = await db.Areas.AsNoTracking().Where(a => a.Year == change.Year && numbers.Contains(a.Number)).ToDictionaryAsync(a => a.Number, ct);
        foreach (var area in change.Areas)
        {
            if ((writes.Area(area.Number) ?? held.GetValueOrDefault(area.Number)) is { } row)
            {
                if (row.Version >= change.PlanVersion) continue;
                row.Name = area.Name;
                row.DeclaredMean = area.DeclaredMean;
                row.Version = change.PlanVersion;
                writes.Area(row, isNew: false); // a row added earlier in the batch stays new
            }
            else
            {
                writes.Area(new AreaRecord { Year = change.Year, Number = area.Number, Name = area.Name, DeclaredMean = area.DeclaredMean, Version = change.PlanVersion },
                    isNew: true);
            }
            card.SetArea(new AreaInfo(area.Number, area.Name, area.DeclaredMean));
            stored = true;
        }
        return stored;
    }

    /// <summary>Writes a branch's row, which exists exactly when the scorecard has seen its code (before this change is applied to it).</summary>
    /// <remarks>
    /// The scorecard is in step with the table (ScoreBook reloads it when another replica wrote): a code it has seen has
    /// a row, at the version it holds, so the rows are written without being read first.
    /// </remarks>
    private static void Store(YearWrites writes, YearScorecard card, int year, StrategicObjectiveBranch? branch, bool removed,
        string? code = null, long version = 0)
    {
        code = branch?.Code ?? code!;
        if (writes.Branch(code) is not { } row)
        {
            row = new BranchRecord { Year = year, Code = code, Title = "", OperationalObjectivesJson = "[]" };
            writes.Branch(row, isNew: card.VersionOf(code) is null); // every column is set below and written
        }
        row.Removed = removed;
        if (branch is null)
        {
            row.Version = version;
            row.OperationalObjectivesJson = "[]";
            return;
        }
        row.AreaNumber = branch.AreaNumber;
        row.Title = branch.Title;
        row.OwnValue = branch.OwnValue;
        row.DeclaredValue = branch.DeclaredValue;
        row.OperationalObjectivesJson = ScoreBook.ToJson(branch.OperationalObjectives);
        row.Version = branch.Version;
    }

    private static StrategicObjectiveBranch ToBranch(StrategicObjectiveSnapshot s, long version) => new(
        s.Code, s.AreaNumber, s.Title, s.OwnValue, s.DeclaredValue,
        s.OperationalObjectives.Select(o => new OperationalObjectiveInput(o.Id, o.Title, o.Weight, o.Value, o.BesDimensions, o.Sectors)).ToList(),
        version);
}
