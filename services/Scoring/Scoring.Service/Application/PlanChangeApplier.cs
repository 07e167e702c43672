using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PerfPlatform.BuildingBlocks.Inbox;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.Scoring.Domain;
using PerfPlatform.Scoring.Infrastructure;
using ScoreChange = PerfPlatform.IntegrationEvents.ScoreChange;

namespace PerfPlatform.Scoring.Application;

/// <summary>
/// Applies one <see cref="PlanChanged"/>: stores the branches it carries (unless a newer version is already
/// held), recomputes only what they touch, and puts the resulting <see cref="ScoresRecalculated"/> in the
/// outbox, all in one transaction together with the inbox record that makes a redelivery a no-op.
/// </summary>
public sealed class PlanChangeApplier(ScoringDbContext db, ScoreBook book, TimeProvider clock)
{
    public const string ConsumerName = "scoring.plan-changed";
    private static readonly ActivitySource Activity = new("PerfPlatform");

    /// <returns>The event published, or null when nothing moved (or the message was a redelivery).</returns>
    public Task<ScoresRecalculated?> ApplyAsync(PlanChanged change, Guid messageId, CancellationToken ct) =>
        book.WithYearAsync(change.Year, db, async (card, stored) =>
        {
            using var activity = Activity.StartActivity("scoring.recalculate");
            activity?.SetTag("perf.year", change.Year);
            activity?.SetTag("perf.plan_version", change.PlanVersion);

            var now = clock.GetUtcNow();
            if (await db.AlreadyProcessedAsync(messageId, ConsumerName, now, ct))
                return ((ScoresRecalculated?)null, (long?)null);

            var year = stored ?? db.Years.Add(new ScoredYear { Year = change.Year }).Entity;
            var version = change.PlanVersion;

            var declarationsStored = await ApplyAreasAsync(change, card, ct);
            if (change.DeclaredEntityLevelIncluded && version > year.PlanVersion)
            {
                year.DeclaredEntityLevel = change.DeclaredEntityLevel;
                card.SetDeclaredEntityLevel(change.DeclaredEntityLevel);
                declarationsStored = true;
            }

            var codes = change.StrategicObjectives.Select(s => s.Code).Concat(change.RemovedStrategicObjectiveCodes).ToList();
            var held = await db.Branches.Where(b => b.Year == change.Year && codes.Contains(b.Code)).ToDictionaryAsync(b => b.Code, ct);
            bool IsNewer(string code) => !held.TryGetValue(code, out var h) || h.Version < version;

            var upserts = change.StrategicObjectives.Where(s => IsNewer(s.Code)).Select(s => ToBranch(s, version)).ToList();
            var removed = change.RemovedStrategicObjectiveCodes.Where(IsNewer).ToList();
            foreach (var branch in upserts) Store(held, change.Year, branch, removed: false);
            foreach (var code in removed) Store(held, change.Year, null, removed: true, code, version);

            var recalculation = card.Apply(upserts, removed, version);
            if (!declarationsStored && upserts.Count == 0 && removed.Count == 0)
            {
                // A late, older event: everything it carries is already superseded. Only the inbox record is saved.
                await db.SaveChangesAsync(ct);
                return ((ScoresRecalculated?)null, (long?)null);
            }
            year.PlanVersion = Math.Max(year.PlanVersion, version);
            year.ScoreVersion++;

            ScoresRecalculated? published = null;
            if (recalculation.HasChanges)
            {
                published = new ScoresRecalculated
                {
                    EventId = Guid.NewGuid(), Year = change.Year, ScoreVersion = year.ScoreVersion, PlanVersion = version,
                    CausationId = change.EventId, CalculatedAt = now,
                    Changes = recalculation.Changes.Select(c => new ScoreChange(c.Level.ToString(), c.Key, c.Old, c.New)).ToList(),
                };
                db.AddToOutbox(published, published.EventId, now);
            }
            await db.SaveChangesAsync(ct);
            activity?.SetTag("perf.changes", recalculation.Changes.Count);
            return (published, year.ScoreVersion);
        }, ct);

    /// <returns>Whether any area was stored.</returns>
    private async Task<bool> ApplyAreasAsync(PlanChanged change, YearScorecard card, CancellationToken ct)
    {
        if (change.Areas.Count == 0) return false;
        var stored = false;
        var numbers = change.Areas.Select(a => a.Number).ToList();
        var held = await db.Areas.Where(a => a.Year == change.Year && numbers.Contains(a.Number)).ToDictionaryAsync(a => a.Number, ct);
        foreach (var area in change.Areas)
        {
            if (held.TryGetValue(area.Number, out var row))
            {
                if (row.Version >= change.PlanVersion) continue;
                row.Name = area.Name;
                row.DeclaredMean = area.DeclaredMean;
                row.Version = change.PlanVersion;
            }
            else
            {
                db.Areas.Add(new AreaRecord { Year = change.Year, Number = area.Number, Name = area.Name, DeclaredMean = area.DeclaredMean, Version = change.PlanVersion });
            }
            card.SetArea(new AreaInfo(area.Number, area.Name, area.DeclaredMean));
            stored = true;
        }
        return stored;
    }

    private void Store(Dictionary<string, BranchRecord> held, int year, StrategicObjectiveBranch? branch, bool removed, string? code = null, long version = 0)
    {
        code = branch?.Code ?? code!;
        if (!held.TryGetValue(code, out var row))
        {
            row = new BranchRecord { Year = year, Code = code, Title = "", OperationalObjectivesJson = "[]" };
            db.Branches.Add(row);
            held[code] = row;
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
