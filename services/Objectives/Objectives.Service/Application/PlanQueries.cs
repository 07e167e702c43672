using Microsoft.EntityFrameworkCore;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;

namespace PerfPlatform.Objectives.Application;

/// <summary>Filters for listing operational objectives; unset members do not filter.</summary>
public sealed record OperationalObjectiveFilter(
    int Year,
    int? AreaNumber = null,
    string? StrategicObjectiveCode = null,
    string? Sector = null,
    BesDimension? Bes = null,
    bool? CrossCutting = null,
    bool? InterSector = null,
    string? Funding = null,
    bool NotAssessedOnly = false,
    string? Text = null);

/// <summary>Reads of the plan. A year is a few hundred objectives: it is loaded whole and filtered in memory.</summary>
public sealed class PlanQueries(ObjectivesDbContext db)
{
    public async Task<PlanYear> GetYearTreeAsync(int year, CancellationToken ct) =>
        await LoadYear(db, year, tracking: false, ct)
        ?? throw new PlanItemNotFoundException("year", year.ToString());

    internal static Task<PlanYear?> LoadYear(ObjectivesDbContext db, int year, bool tracking, CancellationToken ct) =>
        Load(db.PlanYears.Current().Where(y => y.Year == year), tracking, ct);

    private static async Task<PlanYear?> Load(IQueryable<PlanYear> years, bool tracking, CancellationToken ct)
    {
        var query = years
            .Include(y => y.Areas).ThenInclude(a => a.StrategicObjectives).ThenInclude(s => s.OperationalObjectives)
            .AsSplitQuery();
        var planYear = await (tracking ? query : query.AsNoTracking()).SingleOrDefaultAsync(ct);
        if (planYear is null) return null;
        // Keep the document's order everywhere.
        planYear.Areas.Sort((a, b) => a.Number.CompareTo(b.Number));
        foreach (var area in planYear.Areas)
        {
            area.StrategicObjectives.Sort((a, b) => a.Position.CompareTo(b.Position));
            foreach (var so in area.StrategicObjectives)
            {
                so.Area = area;
                so.OperationalObjectives.Sort((a, b) => a.Position.CompareTo(b.Position));
                foreach (var oo in so.OperationalObjectives) oo.StrategicObjective = so;
            }
        }
        return planYear;
    }

    public async Task<IReadOnlyList<OperationalObjective>> ListAsync(OperationalObjectiveFilter f, CancellationToken ct)
    {
        var year = await GetYearTreeAsync(f.Year, ct);
        return year.Areas
            .Where(a => f.AreaNumber is null || a.Number == f.AreaNumber)
            .SelectMany(a => a.StrategicObjectives)
            .Where(s => string.IsNullOrEmpty(f.StrategicObjectiveCode) || s.Code == f.StrategicObjectiveCode)
            .SelectMany(s => s.OperationalObjectives)
            .Where(o => string.IsNullOrEmpty(f.Sector) || o.Sectors.Contains(f.Sector, StringComparer.OrdinalIgnoreCase))
            .Where(o => f.Bes is null || f.Bes == BesDimension.None || o.Bes.HasFlag(f.Bes.Value))
            .Where(o => f.CrossCutting is null || o.CrossCutting == f.CrossCutting)
            .Where(o => f.InterSector is null || (o.InterSectorNote is not null) == f.InterSector)
            .Where(o => string.IsNullOrEmpty(f.Funding) || o.FundingReferences.Any(r => r.StartsWith(f.Funding, StringComparison.OrdinalIgnoreCase)))
            .Where(o => !f.NotAssessedOnly || !IsAssessed(o))
            .Where(o => string.IsNullOrEmpty(f.Text) || o.Title.Contains(f.Text, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>
    /// Its own value when it has one; otherwise its strategic objective's, as when a report gives % per
    /// strategic objective only (the rule Scoring applies).
    /// </summary>
    private static bool IsAssessed(OperationalObjective o) =>
        o.Realization is { } own ? own.IsAssessed : o.StrategicObjective.Realization is { IsAssessed: true };

    public async Task<OperationalObjective> GetOperationalObjectiveAsync(Guid id, CancellationToken ct) =>
        await db.OperationalObjectives.AsNoTracking()
            .Include(o => o.StrategicObjective).ThenInclude(s => s.Area)
            .SingleOrDefaultAsync(o => o.Id == id, ct)
        ?? throw new PlanItemNotFoundException("operational objective", id.ToString());

    public async Task<StrategicObjective> GetStrategicObjectiveAsync(int year, string code, CancellationToken ct)
    {
        var planYear = await GetYearTreeAsync(year, ct);
        return planYear.Areas.SelectMany(a => a.StrategicObjectives).SingleOrDefault(s => s.Code == code)
            ?? throw new PlanItemNotFoundException("strategic objective", $"{year}/{code}");
    }

    public async Task<IReadOnlyList<RealizationEntry>> GetHistoryAsync(Guid? operationalId, int? year, string? strategicCode, CancellationToken ct)
    {
        Guid? strategicId = null;
        if (operationalId is null)
            strategicId = (await GetStrategicObjectiveAsync(year ?? 0, strategicCode ?? "", ct)).Id;
        else if (!await db.OperationalObjectives.AnyAsync(o => o.Id == operationalId, ct))
            throw new PlanItemNotFoundException("operational objective", operationalId.Value.ToString());

        return await db.RealizationEntries.AsNoTracking()
            .Where(r => operationalId != null ? r.OperationalObjectiveId == operationalId : r.StrategicObjectiveId == strategicId)
            .OrderBy(r => r.Version)
            .ToListAsync(ct);
    }

    /// <summary>Every year held with its version, oldest first.</summary>
    public async Task<IReadOnlyList<(int Year, long Version, string EntityName)>> ListYearsAsync(CancellationToken ct) =>
        (await db.PlanYears.Current().AsNoTracking().OrderBy(y => y.Year).Select(y => new { y.Year, y.Version, y.EntityName }).ToListAsync(ct))
        .Select(y => (y.Year, y.Version, y.EntityName)).ToList();

    /// <summary>The copies of a year that replace imports archived, newest first (each replace takes the version on).</summary>
    public async Task<IReadOnlyList<PlanYear>> ListArchivesAsync(int year, CancellationToken ct) =>
        await db.PlanYears.AsNoTracking().Where(y => y.Year == year && y.ArchivedAt != null).OrderByDescending(y => y.Version).ToListAsync(ct);

    /// <summary>An archived copy, whole, as it was when it was replaced.</summary>
    public async Task<PlanYear> GetArchivedYearAsync(Guid archiveId, CancellationToken ct) =>
        await Load(db.PlanYears.Where(y => y.Id == archiveId && y.ArchivedAt != null), tracking: false, ct)
        ?? throw new PlanItemNotFoundException("archived year", archiveId.ToString());

    public async Task<int> YearNumberAsync(Guid planYearId, CancellationToken ct) =>
        await db.PlanYears.Where(y => y.Id == planYearId).Select(y => y.Year).SingleAsync(ct);
}
