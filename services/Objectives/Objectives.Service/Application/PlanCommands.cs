using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>What to record as a realization: on an operational objective, or on a strategic objective of a year.</summary>
public sealed record RealizationTarget(Guid? OperationalObjectiveId, int? Year, string? StrategicObjectiveCode);

public sealed record IndicatorInput(string Name, decimal? Baseline, decimal? Target, decimal? Actual, string? Unit, IndicatorDirection Direction);

/// <summary>
/// Every change to the plan, as mutations of the year's <see cref="YearWriter"/>: validated there against the
/// loaded year and its workflow state, each bumps the year's version and is saved in one transaction with its
/// audit records and its <see cref="PlanChanged"/> event in the outbox.
/// </summary>
public sealed partial class PlanCommands(ObjectivesDbContext db, YearWriter writer, ActorAccessor actors)
{
    private Actor Actor => actors.Current;

    public Task<Area> CreateAreaAsync(int year, int number, string name, string? footnote, CancellationToken ct) =>
        writer.SubmitAsync(year, "area-created", Actor, WholeYear, change =>
        {
            var plan = change.RequirePlan();
            if (number <= 0) throw new InvalidPlanInputException("number", "an area number is a positive whole number");
            RequireText("name", name, PlanText.AreaName);
            if (plan.Areas.Any(a => a.Number == number)) throw new PlanItemExistsException("area", $"{year}/{number}");
            var area = new Area { Id = Guid.NewGuid(), PlanYearId = plan.Id, Number = number, Name = name.Trim(), Footnote = Blank(footnote) };
            plan.Areas.Add(area);
            change.Db.Areas.Add(area);
            change.Areas.Add(area);
            change.Audit("area", Key(number), null, "created", null, area.Name);
            return area;
        });

    public Task<Area> UpdateAreaAsync(int year, int number, string name, string? footnote, CancellationToken ct) =>
        writer.SubmitAsync(year, "area-updated", Actor, WholeYear, change =>
        {
            var plan = change.RequirePlan();
            RequireText("name", name, PlanText.AreaName);
            var area = FindArea(plan, number);
            change.Audit("area", Key(number), null, "name", area.Name, name.Trim());
            change.Audit("area", Key(number), null, "footnote", area.Footnote, Blank(footnote));
            area.Name = name.Trim();
            area.Footnote = Blank(footnote);
            change.Areas.Add(area);
            return area;
        });

    public Task<StrategicObjective> CreateStrategicObjectiveAsync(int year, string code, int areaNumber, string title, CancellationToken ct) =>
        writer.SubmitAsync(year, "strategic-objective-created", Actor, WholeYear, change =>
        {
            var plan = change.RequirePlan();
            code = NormaliseCode(code);
            RequireText("title", title, PlanText.Title);
            var area = FindArea(plan, areaNumber, "area_number");
            if (AllStrategic(plan).Any(s => s.Code == code)) throw new PlanItemExistsException("strategic objective", $"{year}/{code}");
            var so = new StrategicObjective
            {
                Id = Guid.NewGuid(), PlanYearId = plan.Id, AreaId = area.Id, Area = area, Code = code, Title = title.Trim(),
                Position = area.StrategicObjectives.Count == 0 ? 0 : area.StrategicObjectives.Max(s => s.Position) + 1,
            };
            area.StrategicObjectives.Add(so);
            change.Db.StrategicObjectives.Add(so);
            change.Touched.Add(so);
            change.Audit("strategic-objective", code, code, "created", null, so.Title);
            return so;
        });

    public Task<StrategicObjective> UpdateStrategicObjectiveAsync(int year, string code, string? title, int? areaNumber, CancellationToken ct) =>
        writer.SubmitAsync(year, "strategic-objective-updated", Actor, WholeYear, change =>
        {
            var plan = change.RequirePlan();
            var so = FindStrategic(plan, code);
            if (!string.IsNullOrWhiteSpace(title))
            {
                change.Audit("strategic-objective", so.Code, so.Code, "title", so.Title, title.Trim());
                so.Title = title.Trim();
            }
            if (areaNumber is { } n && n != so.Area.Number)
            {
                var target = FindArea(plan, n, "area_number");
                change.Audit("strategic-objective", so.Code, so.Code, "area_number", Key(so.Area.Number), Key(n));
                so.Area.StrategicObjectives.Remove(so);
                target.StrategicObjectives.Add(so);
                so.Area = target;
                so.AreaId = target.Id;
                so.Position = target.StrategicObjectives.Max(s => s.Position) + 1;
            }
            change.Touched.Add(so);
            return so;
        });

    public Task<bool> DeleteStrategicObjectiveAsync(int year, string code, CancellationToken ct) =>
        writer.SubmitAsync(year, "strategic-objective-deleted", Actor, WholeYear, change =>
        {
            var so = FindStrategic(change.RequirePlan(), code);
            so.Area.StrategicObjectives.Remove(so);
            change.Db.StrategicObjectives.Remove(so);
            change.Removed.Add(so.Code);
            change.Audit("strategic-objective", so.Code, so.Code, "deleted", so.Title, null);
            return true;
        });

    public Task<OperationalObjective> CreateOperationalObjectiveAsync(
        int year, string strategicCode, string title, IReadOnlyList<string> sectors, decimal? weight,
        IReadOnlyList<IndicatorInput> indicators, CancellationToken ct) =>
        writer.SubmitAsync(year, "objective-created", Actor, Branches([strategicCode]), change =>
        {
            RequireText("title", title, PlanText.Title);
            var so = FindStrategic(change.RequirePlan(), strategicCode, "strategic_objective_code");
            var oo = new OperationalObjective
            {
                Id = Guid.NewGuid(), PlanYearId = so.PlanYearId, StrategicObjectiveId = so.Id, StrategicObjective = so, Title = "",
                Position = so.OperationalObjectives.Count == 0 ? 0 : so.OperationalObjectives.Max(o => o.Position) + 1,
                Weight = ValidWeight(weight ?? 1m),
                Sectors = CleanSectors(sectors),
                Indicators = ToIndicators(indicators),
            };
            oo.ApplyLabelsFrom(title.Trim());
            so.OperationalObjectives.Add(oo);
            change.Db.OperationalObjectives.Add(oo);
            change.Touched.Add(so);
            change.Audit("operational-objective", oo.Id.ToString(), so.Code, "created", null, oo.Title);
            return oo;
        });

    public async Task<OperationalObjective> UpdateOperationalObjectiveAsync(
        Guid id, string? title, IReadOnlyList<string>? sectors, decimal? weight, IReadOnlyList<IndicatorInput>? indicators, CancellationToken ct) =>
        await writer.SubmitAsync(await YearOfOperationalAsync(id, ct), "objective-updated", Actor, Operational(id), change =>
        {
            var oo = FindOperational(change, id);
            var key = oo.Id.ToString();
            var code = oo.StrategicObjective.Code;
            if (title is not null)
            {
                RequireText("title", title, PlanText.Title);
                change.Audit("operational-objective", key, code, "title", oo.Title, title.Trim());
                oo.ApplyLabelsFrom(title.Trim());
            }
            if (sectors is not null)
            {
                var clean = CleanSectors(sectors);
                change.Audit("operational-objective", key, code, "sectors", string.Join(", ", oo.Sectors), string.Join(", ", clean));
                oo.Sectors = clean;
            }
            if (weight is not null)
            {
                var valid = ValidWeight(weight.Value);
                change.Audit("operational-objective", key, code, "weight", PlanRecords.Text(oo.Weight), PlanRecords.Text(valid));
                oo.Weight = valid;
            }
            if (indicators is not null)
            {
                var list = ToIndicators(indicators);
                change.Audit("operational-objective", key, code, "indicators", Describe(oo.Indicators), Describe(list));
                oo.Indicators = list;
            }
            if (change.AuditRecords.Count > 0) change.Touched.Add(oo.StrategicObjective);
            return oo;
        });

    public async Task<OperationalObjective> MoveOperationalObjectiveAsync(Guid id, string targetCode, CancellationToken ct) =>
        await writer.SubmitAsync(await YearOfOperationalAsync(id, ct), "objective-moved", Actor, Operational(id, targetCode), change =>
        {
            var oo = FindOperational(change, id);
            var from = oo.StrategicObjective;
            var to = FindStrategic(change.RequirePlan(), targetCode, "target_strategic_objective_code");
            if (to == from) return oo;
            from.OperationalObjectives.Remove(oo);
            oo.Position = to.OperationalObjectives.Count == 0 ? 0 : to.OperationalObjectives.Max(o => o.Position) + 1;
            to.OperationalObjectives.Add(oo);
            oo.StrategicObjective = to;
            oo.StrategicObjectiveId = to.Id;
            change.Touched.Add(from);
            change.Touched.Add(to);
            change.Audit("operational-objective", oo.Id.ToString(), to.Code, "strategic_objective_code", from.Code, to.Code);
            return oo;
        });

    public async Task<bool> DeleteOperationalObjectiveAsync(Guid id, CancellationToken ct) =>
        await writer.SubmitAsync(await YearOfOperationalAsync(id, ct), "objective-deleted", Actor, Operational(id), change =>
        {
            var oo = FindOperational(change, id);
            var parent = oo.StrategicObjective;
            parent.OperationalObjectives.Remove(oo);
            change.Db.OperationalObjectives.Remove(oo);
            change.Touched.Add(parent);
            change.Audit("operational-objective", oo.Id.ToString(), parent.Code, "deleted", oo.Title, null);
            return true;
        });

    /// <summary>
    /// Records a value (or not assessed) as of a date; the previous values stay in the history. The note is the
    /// value's explanation (a deviation's, when a final value is below 100).
    /// </summary>
    public async Task<RealizationEntry> SetRealizationAsync(RealizationTarget target, Realization realization, DateOnly asOf, string? note,
        CancellationToken ct)
    {
        if (target.OperationalObjectiveId is { } id)
            return await writer.SubmitAsync(await YearOfOperationalAsync(id, ct), PlanEvents.RealizationSetReason, Actor, Operational(id), change =>
            {
                var oo = FindOperational(change, id);
                // A sector manager: only objectives of its sectors (checked here, where the objective as stored is known).
                Actor.EnsureMayWriteValueOf($"operational objective {oo.Id} ('{oo.Title}')", oo.Sectors);
                if (oo.Realization == realization && oo.Explanation == Blank(note)
                    && LastEntry(change, oo) is { } last && last.AsOf == asOf && last.Realization == realization
                    && last.Period == YearWorkflow.PeriodOf(change.RequirePlan().State))
                    return last; // the same value, note and date as the entry in force: nothing to record
                change.Audit("operational-objective", oo.Id.ToString(), oo.StrategicObjective.Code, "realization",
                    PlanRecords.Text(oo.Realization), PlanRecords.Text(realization), note);
                oo.Realization = realization;
                oo.Explanation = Blank(note);
                change.Touched.Add(oo.StrategicObjective);
                return change.Value(null, oo, realization, asOf, note, "grpc");
            });

        if (target.Year is not { } year || string.IsNullOrWhiteSpace(target.StrategicObjectiveCode))
            throw new InvalidPlanInputException("target", "name an operational objective id, or a strategic objective's year and code");
        Actor.EnsureMayWriteStrategicValue(target.StrategicObjectiveCode);
        // The hot path: group-committed with the other values queued for the year.
        return await writer.SetStrategicValueAsync(year, target.StrategicObjectiveCode, realization, asOf, note, Actor);
    }

    /// <summary>The whole year as one event at its current version: a resync for late or recovering subscribers.</summary>
    public Task<PlanYear> RepublishYearAsync(int year, CancellationToken ct) =>
        writer.SubmitAsync(year, "resync", Actor, WholeYear, change =>
        {
            change.Republish = true;
            return change.RequirePlan();
        }, checksLock: false);

    // ---- what a mutation loads ---------------------------------------------------------------------------

    internal static Task<PlanYear?> WholeYear(ObjectivesDbContext db, int year) => PlanQueries.LoadYear(db, year, tracking: true, default);

    private static YearWriter.Loader Branches(IReadOnlyList<string> codes) => (db, year) => LoadBranchesAsync(db, year, codes);

    /// <summary>An operational objective's branch (and any other named ones), looked up again in the writer: it may have moved.</summary>
    private static YearWriter.Loader Operational(Guid id, params string[] otherBranches) => async (db, year) =>
    {
        var owner = await OwnerAsync(db, id, default);
        if (owner.Year != year) throw new PlanItemNotFoundException("operational objective", id.ToString());
        return await LoadBranchesAsync(db, year, [owner.Code, .. otherBranches]);
    };

    private async Task<int> YearOfOperationalAsync(Guid id, CancellationToken ct) => (await OwnerAsync(db, id, ct)).Year;

    private static async Task<(int Year, string Code)> OwnerAsync(ObjectivesDbContext db, Guid id, CancellationToken ct)
    {
        var owner = await db.OperationalObjectives.AsNoTracking().Where(o => o.Id == id)
                        .Join(db.PlanYears.Current(), o => o.PlanYearId, y => y.Id, (o, y) => new { y.Year, o.StrategicObjective.Code })
                        .SingleOrDefaultAsync(ct)
                    ?? throw new PlanItemNotFoundException("operational objective", id.ToString());
        return (owner.Year, owner.Code);
    }

    /// <summary>
    /// The year's row and the named branches with their areas and operational objectives, tracked. EF's fix-up links
    /// them into <see cref="PlanYear.Areas"/>, so lookups work on this part of the tree as on the whole.
    /// </summary>
    private static async Task<PlanYear?> LoadBranchesAsync(ObjectivesDbContext db, int year, IReadOnlyList<string> branches)
    {
        var plan = await db.PlanYears.Current().SingleOrDefaultAsync(y => y.Year == year);
        if (plan is null) return null;
        var codes = branches.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim().TrimEnd('.')).Distinct().ToList();
        var loaded = await db.StrategicObjectives
            .Where(s => s.PlanYearId == plan.Id && codes.Contains(s.Code))
            .Include(s => s.Area)
            .Include(s => s.OperationalObjectives)
            .ToListAsync();
        foreach (var so in loaded)
            so.OperationalObjectives.Sort((a, b) => a.Position.CompareTo(b.Position));
        return plan;
    }

    private static OperationalObjective FindOperational(YearChange change, Guid id) =>
        AllStrategic(change.RequirePlan()).SelectMany(s => s.OperationalObjectives).SingleOrDefault(o => o.Id == id)
        ?? throw new PlanItemNotFoundException("operational objective", id.ToString());

    /// <summary>The operational objective's entry in force (read synchronously: only when a value looks unchanged).</summary>
    private static RealizationEntry? LastEntry(YearChange change, OperationalObjective oo) =>
        change.Db.RealizationEntries.AsNoTracking().Where(e => e.OperationalObjectiveId == oo.Id)
            .OrderByDescending(e => e.Version).FirstOrDefault();

    private static string Key(int number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(IEnumerable<Indicator> indicators) =>
        string.Join(" | ", indicators.Select(i => $"{i.Name} ({i.Direction}): {i.Baseline?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} -> "
            + $"{i.Target?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, {i.Actual?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {i.Unit}".TrimEnd()));

    // ---- lookups and input rules --------------------------------------------------------------------

    internal static IEnumerable<StrategicObjective> AllStrategic(PlanYear plan) => plan.Areas.SelectMany(a => a.StrategicObjectives);

    private static Area FindArea(PlanYear plan, int number, string field = "number") =>
        plan.Areas.SingleOrDefault(a => a.Number == number)
        ?? throw new PlanItemNotFoundException("area", $"{plan.Year}/{number}");

    private static StrategicObjective FindStrategic(PlanYear plan, string code, string field = "code")
    {
        var normalised = StrategicCode.Parse(code, field).Value;
        return AllStrategic(plan).SingleOrDefault(s => s.Code == normalised)
            ?? throw new PlanItemNotFoundException("strategic objective", $"{plan.Year}/{normalised}");
    }

    // The rules live in Objectives.Domain (one place each); these only name the field.
    private static string NormaliseCode(string code) => StrategicCode.Parse(code, "code").Value;

    private static void RequireText(string field, string? value, int maxLength) => PlanText.Required(value, maxLength, field);

    private static decimal ValidWeight(decimal weight) => Weight.Of(weight, "weight").Value;

    private static List<string> CleanSectors(IReadOnlyList<string> sectors) =>
        sectors.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static List<Indicator> ToIndicators(IReadOnlyList<IndicatorInput> indicators) =>
        indicators.Select((i, n) =>
        {
            RequireText($"indicators[{n}].name", i.Name, PlanText.IndicatorName);
            return new Indicator { Name = i.Name.Trim(), Baseline = i.Baseline, Target = i.Target, Actual = i.Actual, Unit = Blank(i.Unit), Direction = i.Direction };
        }).ToList();

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
