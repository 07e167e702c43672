using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>What to record as a realization: on an operational objective, or on a strategic objective of a year.</summary>
public sealed record RealizationTarget(Guid? OperationalObjectiveId, int? Year, string? StrategicObjectiveCode);

public sealed record IndicatorInput(string Name, decimal? Baseline, decimal? Target, decimal? Actual, string? Unit, IndicatorDirection Direction);

/// <summary>
/// Every change to the plan. Each one is validated, bumps the year's version, and is saved in one
/// transaction with its <see cref="PlanChanged"/> event in the outbox.
/// </summary>
public sealed partial class PlanCommands(ObjectivesDbContext db, YearWriteGate gate, RealizationWriter values, TimeProvider clock)
{
    private const int MaxConcurrencyRetries = 10;

    public Task<Area> CreateAreaAsync(int year, int number, string name, string? footnote, string author, CancellationToken ct) =>
        MutateAsync(year, author, "area-created", ct, (plan, change) =>
        {
            if (number <= 0) throw new InvalidPlanInputException("number", "an area number is a positive whole number");
            RequireText("name", name);
            if (plan.Areas.Any(a => a.Number == number)) throw new PlanItemExistsException("area", $"{year}/{number}");
            var area = new Area { Id = Guid.NewGuid(), PlanYearId = plan.Id, Number = number, Name = name.Trim(), Footnote = Blank(footnote) };
            plan.Areas.Add(area);
            db.Areas.Add(area);
            change.Areas.Add(area);
            return area;
        });

    public Task<Area> UpdateAreaAsync(int year, int number, string name, string? footnote, string author, CancellationToken ct) =>
        MutateAsync(year, author, "area-updated", ct, (plan, change) =>
        {
            RequireText("name", name);
            var area = FindArea(plan, number);
            area.Name = name.Trim();
            area.Footnote = Blank(footnote);
            change.Areas.Add(area);
            return area;
        });

    public Task<StrategicObjective> CreateStrategicObjectiveAsync(int year, string code, int areaNumber, string title, string author, CancellationToken ct) =>
        MutateAsync(year, author, "strategic-objective-created", ct, (plan, change) =>
        {
            code = NormaliseCode(code);
            RequireText("title", title);
            var area = FindArea(plan, areaNumber, "area_number");
            if (AllStrategic(plan).Any(s => s.Code == code)) throw new PlanItemExistsException("strategic objective", $"{year}/{code}");
            var so = new StrategicObjective
            {
                Id = Guid.NewGuid(), PlanYearId = plan.Id, AreaId = area.Id, Area = area, Code = code, Title = title.Trim(),
                Position = area.StrategicObjectives.Count == 0 ? 0 : area.StrategicObjectives.Max(s => s.Position) + 1,
            };
            area.StrategicObjectives.Add(so);
            db.StrategicObjectives.Add(so);
            change.Touched.Add(so);
            return so;
        });

    public Task<StrategicObjective> UpdateStrategicObjectiveAsync(int year, string code, string? title, int? areaNumber, string author, CancellationToken ct) =>
        MutateAsync(year, author, "strategic-objective-updated", ct, (plan, change) =>
        {
            var so = FindStrategic(plan, code);
            if (!string.IsNullOrWhiteSpace(title)) so.Title = title.Trim();
            if (areaNumber is { } n && n != so.Area.Number)
            {
                var target = FindArea(plan, n, "area_number");
                so.Area.StrategicObjectives.Remove(so);
                target.StrategicObjectives.Add(so);
                so.Area = target;
                so.AreaId = target.Id;
                so.Position = target.StrategicObjectives.Max(s => s.Position) + 1;
            }
            change.Touched.Add(so);
            return so;
        });

    public Task<bool> DeleteStrategicObjectiveAsync(int year, string code, string author, CancellationToken ct) =>
        MutateAsync(year, author, "strategic-objective-deleted", ct, (plan, change) =>
        {
            var so = FindStrategic(plan, code);
            so.Area.StrategicObjectives.Remove(so);
            db.StrategicObjectives.Remove(so);
            change.Removed.Add(so.Code);
            return true;
        });

    public Task<OperationalObjective> CreateOperationalObjectiveAsync(
        int year, string strategicCode, string title, IReadOnlyList<string> sectors, decimal? weight,
        IReadOnlyList<IndicatorInput> indicators, string author, CancellationToken ct) =>
        MutateBranchesAsync(year, [strategicCode], author, "objective-created", ct, (plan, change) =>
        {
            RequireText("title", title);
            var so = FindStrategic(plan, strategicCode, "strategic_objective_code");
            var oo = new OperationalObjective
            {
                Id = Guid.NewGuid(), PlanYearId = plan.Id, StrategicObjectiveId = so.Id, StrategicObjective = so, Title = "",
                Position = so.OperationalObjectives.Count == 0 ? 0 : so.OperationalObjectives.Max(o => o.Position) + 1,
                Weight = ValidWeight(weight ?? 1m),
                Sectors = CleanSectors(sectors),
                Indicators = ToIndicators(indicators),
            };
            oo.ApplyLabelsFrom(title.Trim());
            so.OperationalObjectives.Add(oo);
            db.OperationalObjectives.Add(oo);
            change.Touched.Add(so);
            return oo;
        });

    public Task<OperationalObjective> UpdateOperationalObjectiveAsync(
        Guid id, string? title, IReadOnlyList<string>? sectors, decimal? weight, IReadOnlyList<IndicatorInput>? indicators,
        string author, CancellationToken ct) =>
        MutateOperationalAsync(id, author, "objective-updated", ct, [], (plan, oo, change) =>
        {
            if (title is not null)
            {
                RequireText("title", title);
                oo.ApplyLabelsFrom(title.Trim());
            }
            if (sectors is not null) oo.Sectors = CleanSectors(sectors);
            if (weight is not null) oo.Weight = ValidWeight(weight.Value);
            if (indicators is not null) oo.Indicators = ToIndicators(indicators);
            change.Touched.Add(oo.StrategicObjective);
            return oo;
        });

    public Task<OperationalObjective> MoveOperationalObjectiveAsync(Guid id, string targetCode, string author, CancellationToken ct) =>
        MutateOperationalAsync(id, author, "objective-moved", ct, [targetCode], (plan, oo, change) =>
        {
            var from = oo.StrategicObjective;
            var to = FindStrategic(plan, targetCode, "target_strategic_objective_code");
            if (to == from) return oo;
            from.OperationalObjectives.Remove(oo);
            oo.Position = to.OperationalObjectives.Count == 0 ? 0 : to.OperationalObjectives.Max(o => o.Position) + 1;
            to.OperationalObjectives.Add(oo);
            oo.StrategicObjective = to;
            oo.StrategicObjectiveId = to.Id;
            change.Touched.Add(from);
            change.Touched.Add(to);
            return oo;
        });

    public Task<bool> DeleteOperationalObjectiveAsync(Guid id, string author, CancellationToken ct) =>
        MutateOperationalAsync(id, author, "objective-deleted", ct, [], (plan, oo, change) =>
        {
            var parent = oo.StrategicObjective;
            parent.OperationalObjectives.Remove(oo);
            db.OperationalObjectives.Remove(oo);
            change.Touched.Add(parent);
            return true;
        });

    /// <summary>Records a value (or not assessed) as of a date; the previous values stay in the history.</summary>
    public async Task<RealizationEntry> SetRealizationAsync(
        RealizationTarget target, Realization realization, DateOnly asOf, string? note, string author, CancellationToken ct)
    {
        if (target.OperationalObjectiveId is { } id)
            return await MutateOperationalAsync(id, author, "realization-set", ct, [], (plan, oo, change) =>
            {
                oo.Realization = realization;
                change.Touched.Add(oo.StrategicObjective);
                return Record(plan, change, oo, realization, asOf, note, author);
            });

        if (target.Year is not { } year || string.IsNullOrWhiteSpace(target.StrategicObjectiveCode))
            throw new InvalidPlanInputException("target", "name an operational objective id, or a strategic objective's year and code");
        // The hot path: group-committed with the other values queued for the year.
        return await values.SetAsync(year, target.StrategicObjectiveCode, realization, asOf, note, author);
    }

    /// <summary>The history entry of a value set on an operational objective.</summary>
    private RealizationEntry Record(PlanYear plan, PendingChange change, OperationalObjective operational, Realization realization,
        DateOnly asOf, string? note, string author)
    {
        var entry = new RealizationEntry
        {
            Id = Guid.NewGuid(), PlanYearId = plan.Id, OperationalObjectiveId = operational.Id, Realization = realization, AsOf = asOf,
            Note = Blank(note), RecordedAt = clock.GetUtcNow(), RecordedBy = author, Source = "grpc", Version = plan.Version + 1,
        };
        db.RealizationEntries.Add(entry);
        change.Entries.Add(entry);
        return entry;
    }

    /// <summary>The whole year as one event at its current version: a resync for late or recovering subscribers.</summary>
    public async Task<PlanYear> RepublishYearAsync(int year, string author, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(year, ct);
        var plan = await PlanQueries.LoadYear(db, year, tracking: false, ct) ?? throw new PlanItemNotFoundException("year", year.ToString());
        db.AddToOutbox(PlanEvents.Changed(plan, "resync", author, clock.GetUtcNow(), AllStrategic(plan), [], plan.Areas, includeEntityLevel: true),
            Guid.NewGuid(), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return plan;
    }

    // ---- the unit of work -------------------------------------------------------------------------

    /// <summary>What one change touched, to build its event.</summary>
    private sealed class PendingChange
    {
        public HashSet<StrategicObjective> Touched { get; } = [];
        public HashSet<string> Removed { get; } = [];
        public List<Area> Areas { get; } = [];
        public List<RealizationEntry> Entries { get; } = [];
    }

    /// <summary>A change to an operational objective: loads its branch (and any other named ones), not the year.</summary>
    private Task<T> MutateOperationalAsync<T>(Guid id, string author, string reason, CancellationToken ct, IReadOnlyList<string> otherBranches,
        Func<PlanYear, OperationalObjective, PendingChange, T> change) =>
        RetryOnConcurrencyAsync(async () =>
        {
            var owner = await db.OperationalObjectives.Where(o => o.Id == id)
                .Join(db.PlanYears, o => o.PlanYearId, y => y.Id, (o, y) => new { y.Year, o.StrategicObjective.Code })
                .SingleOrDefaultAsync(ct)
                ?? throw new PlanItemNotFoundException("operational objective", id.ToString());
            return await MutateOnceAsync(owner.Year, [owner.Code, .. otherBranches], author, reason, ct, (plan, pending) =>
            {
                var oo = AllStrategic(plan).SelectMany(s => s.OperationalObjectives).Single(o => o.Id == id);
                return change(plan, oo, pending);
            });
        });

    /// <summary>A change that needs the whole year (areas, strategic objectives moving between them).</summary>
    private Task<T> MutateAsync<T>(int year, string author, string reason, CancellationToken ct, Func<PlanYear, PendingChange, T> change) =>
        RetryOnConcurrencyAsync(() => MutateOnceAsync(year, null, author, reason, ct, change));

    /// <summary>A change within named strategic-objective branches: only they are loaded, which keeps a value change cheap.</summary>
    private Task<T> MutateBranchesAsync<T>(int year, IReadOnlyList<string> branches, string author, string reason, CancellationToken ct,
        Func<PlanYear, PendingChange, T> change) =>
        RetryOnConcurrencyAsync(() => MutateOnceAsync(year, branches, author, reason, ct, change));

    /// <param name="branches">The strategic objectives to load; null loads the whole year.</param>
    private async Task<T> MutateOnceAsync<T>(int year, IReadOnlyList<string>? branches, string author, string reason, CancellationToken ct,
        Func<PlanYear, PendingChange, T> change)
    {
        using var _ = await gate.EnterAsync(year, ct);
        var plan = (branches is null
                       ? await PlanQueries.LoadYear(db, year, tracking: true, ct)
                       : await LoadBranchesAsync(year, branches, ct))
                   ?? throw new PlanItemNotFoundException("year", year.ToString());
        var pending = new PendingChange();
        var result = change(plan, pending);
        if (pending.Touched.Count == 0 && pending.Removed.Count == 0 && pending.Areas.Count == 0)
            return result; // nothing that moves a figure changed (e.g. a move onto the same objective)

        plan.Version++;
        foreach (var entry in pending.Entries) entry.Version = plan.Version;
        db.AddToOutbox(PlanEvents.Changed(plan, reason, author, clock.GetUtcNow(),
            pending.Touched.Where(s => !pending.Removed.Contains(s.Code)), pending.Removed, pending.Areas, includeEntityLevel: false),
            Guid.NewGuid(), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return result;
    }

    /// <summary>
    /// The year's row and the named branches with their areas and operational objectives, tracked. EF's fix-up links
    /// them into <see cref="PlanYear.Areas"/>, so lookups work on this part of the tree as on the whole.
    /// </summary>
    private async Task<PlanYear?> LoadBranchesAsync(int year, IReadOnlyList<string> branches, CancellationToken ct)
    {
        var plan = await db.PlanYears.SingleOrDefaultAsync(y => y.Year == year, ct);
        if (plan is null) return null;
        var codes = branches.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim().TrimEnd('.')).Distinct().ToList();
        var loaded = await db.StrategicObjectives
            .Where(s => s.PlanYearId == plan.Id && codes.Contains(s.Code))
            .Include(s => s.Area)
            .Include(s => s.OperationalObjectives)
            .ToListAsync(ct);
        foreach (var so in loaded)
            so.OperationalObjectives.Sort((a, b) => a.Position.CompareTo(b.Position));
        return plan;
    }

    /// <summary>Two changes to one year at once: the later commit fails on the version and is replayed on fresh data.</summary>
    private async Task<T> RetryOnConcurrencyAsync<T>(Func<Task<T>> attempt)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (DbUpdateConcurrencyException) when (i < MaxConcurrencyRetries)
            {
                // Another replica changed the year meanwhile: replay on fresh data after a short, jittered pause.
                db.ChangeTracker.Clear();
                await Task.Delay(Random.Shared.Next(5, 20 * i));
            }
        }
    }

    // ---- lookups and input rules --------------------------------------------------------------------

    internal static IEnumerable<StrategicObjective> AllStrategic(PlanYear plan) => plan.Areas.SelectMany(a => a.StrategicObjectives);

    private static Area FindArea(PlanYear plan, int number, string field = "number") =>
        plan.Areas.SingleOrDefault(a => a.Number == number)
        ?? throw new PlanItemNotFoundException("area", $"{plan.Year}/{number}");

    private static StrategicObjective FindStrategic(PlanYear plan, string code, string field = "code")
    {
        if (string.IsNullOrWhiteSpace(code)) throw new InvalidPlanInputException(field, "a strategic objective code is required");
        var normalised = code.Trim().TrimEnd('.');
        return AllStrategic(plan).SingleOrDefault(s => s.Code == normalised)
            ?? throw new PlanItemNotFoundException("strategic objective", $"{plan.Year}/{normalised}");
    }

    private static string NormaliseCode(string code)
    {
        var c = (code ?? "").Trim().TrimEnd('.');
        if (!CodePattern().IsMatch(c))
            throw new InvalidPlanInputException("code", $"\"{code}\" is not a strategic objective code (area.number, e.g. 1.13)");
        return c;
    }

    private static void RequireText(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new InvalidPlanInputException(field, "must not be empty");
    }

    private static decimal ValidWeight(decimal weight) =>
        weight > 0m && weight <= 1000m ? weight : throw new InvalidPlanInputException("weight", $"{weight} is not a valid weight (a number above 0, at most 1000)");

    private static List<string> CleanSectors(IReadOnlyList<string> sectors) =>
        sectors.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static List<Indicator> ToIndicators(IReadOnlyList<IndicatorInput> indicators) =>
        indicators.Select((i, n) =>
        {
            RequireText($"indicators[{n}].name", i.Name);
            return new Indicator { Name = i.Name.Trim(), Baseline = i.Baseline, Target = i.Target, Actual = i.Actual, Unit = Blank(i.Unit), Direction = i.Direction };
        }).ToList();

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}$")]
    private static partial Regex CodePattern();
}
