using System.Text;
using Microsoft.EntityFrameworkCore;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.Objectives.Domain.Import;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;
using PerfPlatform.Objectives.Spreadsheets;

namespace PerfPlatform.Objectives.Application;

public enum DocumentKind { RelazioneText, Csv, Xlsx }

public sealed record ImportResult(bool DryRun, PlanYear Plan, IReadOnlyList<ImportProblem> Warnings, int OperationalObjectives);

/// <summary>
/// Imports a whole year from a document, all or nothing: one SaveChanges holds the plan, the history
/// entries of the declared values and the <c>PlanChanged</c> event.
/// </summary>
public sealed class PlanImport(ObjectivesDbContext db, YearWriteGate gate, TimeProvider clock)
{
    /// <summary>Documents larger than this are refused before parsing (the 2023 annex is 26 KB).</summary>
    public const int MaxDocumentBytes = 10 * 1024 * 1024;

    public static ImportOutcome Read(DocumentKind kind, byte[] content)
    {
        if (content.Length == 0)
            throw new PlanImportException([new ImportProblem(0, "the file is empty")]);
        if (content.Length > MaxDocumentBytes)
            throw new PlanImportException([new ImportProblem(0,
                $"the file is {content.Length / 1024d / 1024d:0.0} MB; the largest accepted is {MaxDocumentBytes / 1024 / 1024} MB")]);
        using var stream = new MemoryStream(content, writable: false);
        return kind switch
        {
            DocumentKind.RelazioneText => RelazioneTextParser.Parse(Encoding.UTF8.GetString(content)),
            DocumentKind.Csv => PlanSpreadsheet.ImportCsv(stream),
            DocumentKind.Xlsx => PlanSpreadsheet.ImportXlsx(stream),
            _ => throw new InvalidPlanInputException("format", $"unknown format {kind}"),
        };
    }

    public async Task<ImportResult> ImportAsync(ImportOutcome outcome, string sourceName, bool dryRun, bool replaceExisting, string author, CancellationToken ct)
    {
        var document = outcome.Plan;
        using var _ = await gate.EnterAsync(document.Year, ct);
        var existing = await PlanQueries.LoadYear(db, document.Year, tracking: true, ct);
        if (existing is not null && !replaceExisting && !dryRun)
            throw new PlanItemExistsException("year", document.Year.ToString());

        var now = clock.GetUtcNow();
        var plan = Build(document, sourceName, now, version: (existing?.Version ?? 0) + 1);
        var operationalCount = plan.Areas.Sum(a => a.StrategicObjectives.Sum(s => s.OperationalObjectives.Count));
        if (dryRun) return new ImportResult(true, plan, outcome.Warnings, operationalCount);

        var removedCodes = existing is null
            ? []
            : PlanCommands.AllStrategic(existing).Select(s => s.Code).Except(PlanCommands.AllStrategic(plan).Select(s => s.Code)).ToList();
        if (existing is not null)
        {
            db.RealizationEntries.RemoveRange(db.RealizationEntries.Where(r => r.PlanYearId == existing.Id));
            db.PlanYears.Remove(existing);
        }
        db.PlanYears.Add(plan);
        AddHistory(plan, author, now, sourceName);
        db.AddToOutbox(PlanEvents.Changed(plan, "import", author, now, PlanCommands.AllStrategic(plan), removedCodes, plan.Areas, includeEntityLevel: true),
            Guid.NewGuid(), now);
        await db.SaveChangesAsync(ct);
        return new ImportResult(false, plan, outcome.Warnings, operationalCount);
    }

    private static PlanYear Build(PlanDocument d, string sourceName, DateTimeOffset now, long version)
    {
        var plan = new PlanYear
        {
            Id = Guid.NewGuid(), Year = d.Year, EntityName = d.EntityName, MandateStartYear = d.MandateStartYear, MandateEndYear = d.MandateEndYear,
            Version = version, DeclaredEntityLevel = d.DeclaredEntityLevel, SourceDocument = sourceName, CreatedAt = now,
        };
        foreach (var a in d.Areas)
        {
            var area = new Area { Id = Guid.NewGuid(), PlanYearId = plan.Id, Number = a.Number, Name = a.Name, Footnote = a.Footnote, DeclaredMean = a.DeclaredMean };
            plan.Areas.Add(area);
            foreach (var (s, sp) in a.StrategicObjectives.Select((s, i) => (s, i)))
            {
                var so = new StrategicObjective
                {
                    Id = Guid.NewGuid(), PlanYearId = plan.Id, AreaId = area.Id, Area = area, Code = s.Code, Title = s.Title, Position = sp,
                    Declared = s.DeclaredRealization, Realization = s.CurrentRealization ?? s.DeclaredRealization,
                };
                area.StrategicObjectives.Add(so);
                foreach (var (o, op) in s.OperationalObjectives.Select((o, i) => (o, i)))
                {
                    so.OperationalObjectives.Add(new OperationalObjective
                    {
                        Id = Guid.NewGuid(), PlanYearId = plan.Id, StrategicObjectiveId = so.Id, StrategicObjective = so, Position = op,
                        Title = o.Title, Bes = o.Labels.Bes, CrossCutting = o.Labels.CrossCutting, InterSectorNote = o.Labels.InterSectorNote,
                        FundingReferences = [.. o.Labels.FundingReferences], Sectors = [.. o.Sectors], Weight = o.Weight,
                        Realization = o.Realization,
                        Indicators = o.Indicators.Select(i => new Indicator
                        {
                            Name = i.Name, Baseline = i.Baseline, Target = i.Target, Actual = i.Actual, Unit = i.Unit, Direction = i.Direction,
                        }).ToList(),
                    });
                }
            }
        }
        return plan;
    }

    /// <summary>The imported values start the history: recorded as of the year's end, from the document.</summary>
    private void AddHistory(PlanYear plan, string author, DateTimeOffset now, string sourceName)
    {
        var asOf = new DateOnly(plan.Year, 12, 31);
        foreach (var so in PlanCommands.AllStrategic(plan))
        {
            if (so.Realization is { } r)
                db.RealizationEntries.Add(Entry(plan, r, asOf, now, author, sourceName, strategic: so.Id));
            foreach (var oo in so.OperationalObjectives)
                if (oo.Realization is { } v)
                    db.RealizationEntries.Add(Entry(plan, v, asOf, now, author, sourceName, operational: oo.Id));
        }
    }

    private static RealizationEntry Entry(PlanYear plan, Realization r, DateOnly asOf, DateTimeOffset now, string author, string sourceName,
        Guid? strategic = null, Guid? operational = null) => new()
    {
        Id = Guid.NewGuid(), PlanYearId = plan.Id, StrategicObjectiveId = strategic, OperationalObjectiveId = operational, Realization = r,
        AsOf = asOf, RecordedAt = now, RecordedBy = author, Source = "import", Note = $"imported from {sourceName}", Version = plan.Version,
    };

    /// <summary>The stored year as a document, for the spreadsheet export.</summary>
    public static PlanDocument ToDocument(PlanYear plan) => new(
        plan.EntityName, plan.MandateStartYear, plan.MandateEndYear, plan.Year,
        plan.Areas.Select(a => new AreaDraft(a.Number, a.Name, a.Footnote, a.DeclaredMean, a.StrategicObjectives.Select(ToDraft).ToList())).ToList(),
        plan.DeclaredEntityLevel);

    private static StrategicObjectiveDraft ToDraft(StrategicObjective s) =>
        new(s.Code, s.Title, s.Declared, s.OperationalObjectives.Select(ToDraft).ToList())
        {
            CurrentRealization = s.Realization == s.Declared ? null : s.Realization,
        };

    private static OperationalObjectiveDraft ToDraft(OperationalObjective o) => new(
        o.Title, OperationalObjectiveLabels.Parse(o.Title), o.Weight, o.Realization, o.Sectors.ToList(),
        o.Indicators.Select(i => new IndicatorDraft(i.Name, i.Baseline, i.Target, i.Actual, i.Unit, i.Direction)).ToList());
}
