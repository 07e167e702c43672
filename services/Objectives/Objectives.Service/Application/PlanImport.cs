using System.Text;
using PerfPlatform.Objectives.Domain.Import;
using PerfPlatform.Objectives.Domain.Plan;
using PerfPlatform.Objectives.Infrastructure;
using PerfPlatform.Objectives.Spreadsheets;

namespace PerfPlatform.Objectives.Application;

public enum DocumentKind { RelazioneText, Csv, Xlsx }

public sealed record ImportResult(bool DryRun, PlanYear Plan, IReadOnlyList<ImportProblem> Warnings, int OperationalObjectives);

/// <summary>
/// Imports a whole year from a document, all or nothing, as a mutation of the year's writer: one transaction holds
/// the plan, the history entries of the declared values, the audit record and the <c>PlanChanged</c> event. A
/// replace import archives the copy it replaces (still readable, its history kept); it never deletes one.
/// </summary>
public sealed class PlanImport(YearWriter writer, ActorAccessor actors, TimeProvider clock)
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

    public async Task<ImportResult> ImportAsync(ImportOutcome outcome, string sourceName, bool dryRun, bool replaceExisting, CancellationToken ct)
    {
        var document = outcome.Plan;
        if (dryRun)
        {
            var draft = Build(document, sourceName, clock.GetUtcNow(), version: 0);
            return new ImportResult(true, draft, outcome.Warnings, Count(draft));
        }

        var actor = actors.Current;
        var plan = await writer.SubmitAsync(document.Year, "import", actor, PlanCommands.WholeYear, change =>
        {
            var existing = change.Plan;
            if (existing is not null && !replaceExisting) throw new PlanItemExistsException("year", document.Year.ToString());
            var plan = Build(document, sourceName, change.Now, version: (existing?.Version ?? 0) + 1);
            plan.State = InitialState(plan);
            if (existing is null)
                change.Db.PlanYears.Add(plan);
            else
            {
                existing.ArchivedAt = change.Now;
                existing.ArchivedBy = actor.Name;
                change.Archived = existing;
                change.Removed.UnionWith(PlanCommands.AllStrategic(existing).Select(s => s.Code)
                    .Except(PlanCommands.AllStrategic(plan).Select(s => s.Code)));
            }
            change.Plan = plan;
            change.VersionAssigned = true;
            change.WholeYear = true;
            AddHistory(change, plan, sourceName);
            change.Audit("year", plan.Year.ToString(), null, "plan",
                existing is null ? null : $"version {existing.Version} ({existing.SourceDocument})", $"version {plan.Version} ({sourceName})",
                existing is null ? null : "replaced: the previous copy is archived");
            return plan;
        });
        return new ImportResult(false, plan, outcome.Warnings, Count(plan));
    }

    /// <summary>
    /// A document with values is a report (the Relazione's annex): its year is at final, where values can still be
    /// corrected and explained before the OIV validates. A document without any value is a plan: planning.
    /// </summary>
    public static YearState InitialState(PlanYear plan) =>
        plan.DeclaredEntityLevel is not null || PlanCommands.AllStrategic(plan).Any(s => s.Realization is not null
            || s.OperationalObjectives.Any(o => o.Realization is not null))
            ? YearState.Final
            : YearState.Planning;

    private static int Count(PlanYear plan) => plan.Areas.Sum(a => a.StrategicObjectives.Sum(s => s.OperationalObjectives.Count));

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
    private static void AddHistory(YearChange change, PlanYear plan, string sourceName)
    {
        var asOf = new DateOnly(plan.Year, 12, 31);
        var note = $"imported from {sourceName}";
        foreach (var so in PlanCommands.AllStrategic(plan))
        {
            if (so.Realization is { } r) change.Value(so, null, r, asOf, note, "import");
            foreach (var oo in so.OperationalObjectives)
                if (oo.Realization is { } v) change.Value(null, oo, v, asOf, note, "import");
        }
    }

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
