using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.Objectives.Infrastructure;
using PerfPlatform.TestSupport;
using Xunit;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Tests;

public sealed class SqliteAuditAndWorkflowTests() : AuditAndWorkflowTests(connectionString: null);

public sealed class PostgresAuditAndWorkflowTests() : AuditAndWorkflowTests(connectionString: "postgres");

/// <summary>
/// The audit trail, the archived years and the year's workflow through real HTTP/2 clients, on each storage provider:
/// every change leaves one record per changed field with its old and new value; a validated year refuses every kind
/// of change until it is reopened.
/// </summary>
public abstract class AuditAndWorkflowTests(string? connectionString) : IAsyncLifetime
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private PostgresDatabase? _database;
    private ObjectivesHost _host = null!;
    private V1.Objectives.ObjectivesClient Client => _host.Client;
    private V1.ObjectivesAudit.ObjectivesAuditClient Audit => new(_host.Channel);
    private V1.YearWorkflow.YearWorkflowClient Workflow => new(_host.Channel);

    public async Task InitializeAsync()
    {
        string? cs = null;
        if (connectionString == "postgres")
        {
            _database = await PostgresDatabase.CreateAsync("objectives_audit");
            cs = _database.ConnectionString;
        }
        _host = await ObjectivesHost.StartAsync(cs);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private Metadata As(string user) => _host.As(user);

    private async Task<List<V1.AuditRecord>> RecordsAsync(V1.AuditFilter? filter = null)
    {
        var all = new List<V1.AuditRecord>();
        var token = "";
        do
        {
            var page = await Audit.ListAuditRecordsAsync(new V1.ListAuditRecordsRequest { Filter = filter ?? new V1.AuditFilter(), PageToken = token });
            all.AddRange(page.Records);
            token = page.NextPageToken;
        } while (token != "");
        return all;
    }

    /// <summary>The records a change left: those after the ones already there.</summary>
    private async Task<List<V1.AuditRecord>> RecordsAfterAsync(long lastId) => (await RecordsAsync()).Where(r => r.Id > lastId).ToList();

    private async Task<long> LastIdAsync() => (await RecordsAsync()).Select(r => r.Id).DefaultIfEmpty(0).Max();

    private static V1.SetRealizationRequest Value(string code, double value, string? note = null, string asOf = "2023-12-31") => new()
    {
        StrategicObjective = new V1.StrategicObjectiveRef { Year = 2023, Code = code },
        Realization = new V1.Realization { Value = value }, AsOf = asOf, Note = note ?? "",
    };

    [Fact]
    public async Task An_import_and_a_value_set_each_leave_one_record_with_the_old_and_new_value()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023), As("ufficio.piano"));
        var import = Assert.Single(await RecordsAsync());
        Assert.Equal(("import", "year", "2023", "plan", false), (import.Change, import.EntityKind, import.Entity, import.Field, import.HasOldValue));
        Assert.Equal("version 1 (relazione.txt)", import.NewValue);
        Assert.Equal("ufficio.piano", import.Actor);

        V1.RealizationEntry entry;
        // The caller's trace, carried by the client's traceparent header, names the record.
        using (new Activity("caller").SetParentId(ActivityTraceId.CreateFromString(TraceId), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
            entry = await Client.SetRealizationAsync(Value("1.13", 100, "dato finale del servizio"), As("controllo.strategico"));
        var set = Assert.Single(await RecordsAfterAsync(import.Id));
        Assert.Equal(("realization-set", "strategic-objective", "1.13", "1.13", "realization"),
            (set.Change, set.EntityKind, set.Entity, set.ObjectiveCode, set.Field));
        Assert.Equal(("96.67", "100"), (set.OldValue, set.NewValue));
        Assert.Equal(("controllo.strategico", "dato finale del servizio", entry.Version), (set.Actor, set.Note, set.Version));
        Assert.Equal(TraceId, set.TraceId);

        // The next value's "before" is this one's "after".
        await Client.SetRealizationAsync(Value("1.13", 99.5, "rettifica"), As("controllo.strategico"));
        var again = Assert.Single(await RecordsAfterAsync(set.Id));
        Assert.Equal(("100", "99.5"), (again.OldValue, again.NewValue));

        var changed = await _host.Events.WaitForAsync(e => e.Reason == "realization-set" && e.PlanVersion == entry.Version, "the value's event");
        Assert.Equal(("final", "final"), (changed.YearState, changed.Period));
    }

    [Fact]
    public async Task An_update_that_changes_nothing_keeps_the_version_and_records_and_sends_nothing()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var set = await Client.SetRealizationAsync(Value("1.13", 100, "dato finale"));
        var oo = await Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest
            { Year = 2023, StrategicObjectiveCode = "4.7", Title = "Benessere Economico: nuovo obiettivo", Weight = 2 });
        var ooValue = new V1.SetRealizationRequest
            { OperationalObjectiveId = oo.Id, Realization = new V1.Realization { Value = 75.5 }, AsOf = "2023-12-31", Note = "n" };
        var ooSet = await Client.SetRealizationAsync(ooValue);
        var version = (await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 })).Version;
        await _host.Events.WaitForAsync(e => e.PlanVersion == version, "the last change's event");
        var last = await LastIdAsync();
        var events = _host.Events.All.Count;

        // The same value, note and date, twice in a row (the second from the writer's cache); the same title and weight.
        foreach (var _ in new[] { 1, 2 })
        {
            var again = await Client.SetRealizationAsync(Value("1.13", 100, "dato finale"));
            Assert.Equal((set.Id, set.Version), (again.Id, again.Version));
        }
        var ooAgain = await Client.SetRealizationAsync(ooValue);
        Assert.Equal((ooSet.Id, ooSet.Version), (ooAgain.Id, ooAgain.Version));
        await Client.UpdateStrategicObjectiveAsync(new V1.UpdateStrategicObjectiveRequest
            { Year = 2023, Code = "4.7", Title = await TitleAsync("4.7") });
        await Client.UpdateOperationalObjectiveAsync(new V1.UpdateOperationalObjectiveRequest
            { Id = oo.Id, Title = "Benessere Economico: nuovo obiettivo", Weight = 2 });

        Assert.Equal(version, (await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 })).Version);
        Assert.Empty(await RecordsAfterAsync(last));

        // A real change after them takes the next version, and is the only event since.
        var changed = await Client.SetRealizationAsync(Value("1.13", 100, "dato finale", asOf: "2023-12-30"));
        Assert.Equal(version + 1, changed.Version);
        await _host.Events.WaitForAsync(e => e.PlanVersion == changed.Version, "the real change's event");
        Assert.Equal([changed.Version], _host.Events.All.Skip(events).Select(e => e.PlanVersion));
        var record = Assert.Single(await RecordsAfterAsync(last));
        Assert.Equal(("100", "100", changed.Version), (record.OldValue, record.NewValue, record.Version));

        // Another note is a change too.
        Assert.Equal(version + 2, (await Client.SetRealizationAsync(Value("1.13", 100, "altra nota", asOf: "2023-12-30"))).Version);
    }

    private async Task<string> TitleAsync(string code) =>
        (await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 })).Areas.SelectMany(a => a.StrategicObjectives).Single(s => s.Code == code).Title;

    [Fact]
    public async Task Editing_moving_and_deleting_an_operational_objective_leaves_one_record_per_changed_field()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var created = await Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest
        {
            Year = 2023, StrategicObjectiveCode = "4.7", Title = "Benessere Economico: nuovo obiettivo", Sectors = { "Turismo" }, Weight = 2,
        }, As("ufficio.piano"));
        var last = await LastIdAsync();
        var createdRecord = (await RecordsAsync()).Single(r => r.Id == last);
        Assert.Equal(("created", created.Id, "4.7", "Benessere Economico: nuovo obiettivo"),
            (createdRecord.Field, createdRecord.Entity, createdRecord.ObjectiveCode, createdRecord.NewValue));

        // Title, weight and sectors change; the indicators are not touched, and leave no record.
        await Client.UpdateOperationalObjectiveAsync(new V1.UpdateOperationalObjectiveRequest
        {
            Id = created.Id, Title = "Benessere Economico: obiettivo rivisto", Weight = 3, Sectors = { "Turismo", "Cultura" }, ReplaceSectors = true,
        }, As("ufficio.piano"));
        var edit = await RecordsAfterAsync(last);
        Assert.Equal(["sectors", "title", "weight"], edit.Select(r => r.Field).Order());
        Assert.All(edit, r => Assert.Equal(("objective-updated", "operational-objective", created.Id), (r.Change, r.EntityKind, r.Entity)));
        Assert.Equal(("Benessere Economico: nuovo obiettivo", "Benessere Economico: obiettivo rivisto"),
            (edit.Single(r => r.Field == "title").OldValue, edit.Single(r => r.Field == "title").NewValue));
        Assert.Equal(("2", "3"), (edit.Single(r => r.Field == "weight").OldValue, edit.Single(r => r.Field == "weight").NewValue));
        Assert.Equal(("Turismo", "Turismo, Cultura"), (edit.Single(r => r.Field == "sectors").OldValue, edit.Single(r => r.Field == "sectors").NewValue));
        Assert.Single(edit.Select(r => r.Version).Distinct());

        // The same values again: nothing changed, no record, no version.
        var before = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
        last = await LastIdAsync();
        await Client.UpdateOperationalObjectiveAsync(new V1.UpdateOperationalObjectiveRequest { Id = created.Id, Weight = 3 });
        Assert.Empty(await RecordsAfterAsync(last));
        Assert.Equal(before.Version, (await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 })).Version);

        await Client.MoveOperationalObjectiveAsync(new V1.MoveOperationalObjectiveRequest { Id = created.Id, TargetStrategicObjectiveCode = "10.2" });
        var move = Assert.Single(await RecordsAfterAsync(last));
        Assert.Equal(("strategic_objective_code", "4.7", "10.2", "10.2"), (move.Field, move.OldValue, move.NewValue, move.ObjectiveCode));

        await Client.SetRealizationAsync(new V1.SetRealizationRequest
            { OperationalObjectiveId = created.Id, Realization = new V1.Realization { Value = 75.5 }, AsOf = "2023-12-31", Note = "n" });
        var value = Assert.Single(await RecordsAfterAsync(move.Id));
        Assert.Equal(("realization", false, "75.5"), (value.Field, value.HasOldValue, value.NewValue));

        await Client.DeleteOperationalObjectiveAsync(new V1.DeleteOperationalObjectiveRequest { Id = created.Id });
        var delete = Assert.Single(await RecordsAfterAsync(value.Id));
        Assert.Equal(("deleted", "Benessere Economico: obiettivo rivisto", false), (delete.Field, delete.OldValue, delete.HasNewValue));

        // The whole objective's trail, by its id.
        var trail = await RecordsAsync(new V1.AuditFilter { Objective = created.Id });
        Assert.Equal(7, trail.Count);
        Assert.Equal("created", trail[0].Field);
        Assert.Equal(["sectors", "title", "weight"], trail.Skip(1).Take(3).Select(r => r.Field).Order());
        Assert.Equal(["strategic_objective_code", "realization", "deleted"], trail.Skip(4).Select(r => r.Field));
    }

    [Fact]
    public async Task A_replace_import_archives_the_old_year_which_stays_readable_with_its_history()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        await Client.SetRealizationAsync(Value("1.13", 100, "finale"));
        var changed = Documents.Lecce2023.Replace("\t96,67", "\t88,50");
        var replaced = await Client.ImportDocumentAsync(Documents.Relazione(changed, replace: true), As("ufficio.piano"));

        var record = (await RecordsAsync(new V1.AuditFilter { Year = 2023 })).Last();
        Assert.Equal(("import", "plan", "version 2 (relazione.txt)", $"version {replaced.Version} (relazione.txt)"),
            (record.Change, record.Field, record.OldValue, record.NewValue));
        Assert.Contains("archived", record.Note);

        var archive = Assert.Single((await Audit.ListArchivedYearsAsync(new V1.ListArchivedYearsRequest { Year = 2023 })).Archives);
        Assert.Equal((2023, 2L, "ufficio.piano"), (archive.Year, archive.Version, archive.ArchivedBy));
        var old = await Audit.GetArchivedYearAsync(new V1.GetArchivedYearRequest { ArchiveId = archive.ArchiveId });
        var old113 = old.Areas[0].StrategicObjectives.Single(s => s.Code == "1.13");
        Assert.Equal((96.67, 100.0), (old113.Declared.Value, old113.Realization.Value));
        Assert.Equal(55, old.Areas.Sum(a => a.StrategicObjectives.Count));

        var current = await Client.GetStrategicObjectiveAsync(new V1.GetStrategicObjectiveRequest { Year = 2023, Code = "1.13" });
        Assert.Equal(88.5, current.Declared.Value);
        var year = Assert.Single((await Client.ListYearsAsync(new V1.ListYearsRequest())).Years);
        Assert.Equal(replaced.Version, year.Version);

        // Nothing of the old copy's history is gone: its import and its later value are still stored.
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObjectivesDbContext>();
        var oldHistory = await db.RealizationEntries.Where(e => e.PlanYearId == Guid.Parse(archive.ArchiveId)).CountAsync();
        Assert.True(oldHistory > 55, $"{oldHistory} history entries of the archived copy");
        Assert.Contains(await db.RealizationEntries.Where(e => e.PlanYearId == Guid.Parse(archive.ArchiveId)).ToListAsync(),
            e => e.Source == "grpc" && e.Realization.Value == 100m);
    }

    [Fact]
    public async Task Validation_lists_every_deviation_without_an_explanation()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var status = await Workflow.GetYearStateAsync(new V1.GetYearStateRequest { Year = 2023 });
        Assert.Equal((V1.YearState.Final, V1.ValuePeriod.Final, false), (status.State, status.Period, status.Locked));
        Assert.Contains(status.UnexplainedDeviations, d => d.Code == "1.13" && d.Value == 96.67);
        Assert.All(status.UnexplainedDeviations, d => Assert.True(d.Value < 100));

        var refused = await ExpectError(StatusCode.FailedPrecondition,
            Workflow.AdvanceYearAsync(new V1.AdvanceYearRequest { Year = 2023, To = V1.YearState.Validated }).ResponseAsync);
        Assert.Contains($"{status.UnexplainedDeviations.Count} final value(s)", refused);
        foreach (var d in status.UnexplainedDeviations)
        {
            Assert.Contains(d.Code, refused);
            Assert.Contains(d.Title[..Math.Min(40, d.Title.Length)], refused);
            Assert.Contains(d.Value.ToString("0.00", CultureInfo.GetCultureInfo("it-IT")), refused);
        }

        // Explain all but one: that one alone is listed.
        var left = status.UnexplainedDeviations[^1];
        foreach (var d in status.UnexplainedDeviations.Take(status.UnexplainedDeviations.Count - 1))
            await Client.SetRealizationAsync(Value(d.Code, d.Value, "scostamento dovuto a ritardi negli affidamenti"));
        var still = await Workflow.GetYearStateAsync(new V1.GetYearStateRequest { Year = 2023 });
        Assert.Equal(left.Code, Assert.Single(still.UnexplainedDeviations).Code);
        var once = await ExpectError(StatusCode.FailedPrecondition,
            Workflow.AdvanceYearAsync(new V1.AdvanceYearRequest { Year = 2023, To = V1.YearState.Validated }).ResponseAsync);
        Assert.Contains("1 final value(s)", once);
        Assert.Contains(left.Code, once);

        await Client.SetRealizationAsync(Value(left.Code, 100));
        var validated = await Workflow.AdvanceYearAsync(new V1.AdvanceYearRequest { Year = 2023, To = V1.YearState.Validated, Note = "verbale OIV n. 3" },
            As("oiv"));
        Assert.Equal((V1.YearState.Validated, true), (validated.State, validated.Locked));
        var step = (await RecordsAsync()).Last();
        Assert.Equal(("workflow", "year", "state", "final", "validated", "verbale OIV n. 3", "oiv"),
            (step.Change, step.EntityKind, step.Field, step.OldValue, step.NewValue, step.Note, step.Actor));
        var changed = await _host.Events.WaitForAsync(e => e.Reason == "workflow", "the step's event");
        Assert.Equal((validated.Version, "validated"), (changed.PlanVersion, changed.YearState));
    }

    [Fact]
    public async Task A_validated_year_refuses_every_kind_of_change_until_it_is_reopened()
    {
        var imported = await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var operational = await Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest
            { Year = 2023, StrategicObjectiveCode = "4.7", Title = "Benessere Economico: x" });
        await ExplainAllAsync();
        // Out of order: final goes to validated, not to published.
        var skip = await ExpectError(StatusCode.FailedPrecondition,
            Workflow.AdvanceYearAsync(new V1.AdvanceYearRequest { Year = 2023, To = V1.YearState.Published }).ResponseAsync);
        Assert.Contains("final", skip);
        await Workflow.AdvanceYearAsync(new V1.AdvanceYearRequest { Year = 2023, To = V1.YearState.Validated });
        var locked = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
        var lastId = await LastIdAsync();

        Task[] changes =
        [
            Client.SetRealizationAsync(Value("1.13", 50)).ResponseAsync,
            Client.SetRealizationAsync(new V1.SetRealizationRequest
                { OperationalObjectiveId = operational.Id, Realization = new V1.Realization { Value = 50 }, AsOf = "2023-12-31" }).ResponseAsync,
            Client.CreateAreaAsync(new V1.CreateAreaRequest { Year = 2023, Number = 11, Name = "Nuova" }).ResponseAsync,
            Client.UpdateAreaAsync(new V1.UpdateAreaRequest { Year = 2023, Number = 1, Name = "Altro nome" }).ResponseAsync,
            Client.CreateStrategicObjectiveAsync(new V1.CreateStrategicObjectiveRequest { Year = 2023, Code = "1.99", AreaNumber = 1, Title = "x" }).ResponseAsync,
            Client.UpdateStrategicObjectiveAsync(new V1.UpdateStrategicObjectiveRequest { Year = 2023, Code = "1.13", Title = "x" }).ResponseAsync,
            Client.DeleteStrategicObjectiveAsync(new V1.DeleteStrategicObjectiveRequest { Year = 2023, Code = "1.13" }).ResponseAsync,
            Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest { Year = 2023, StrategicObjectiveCode = "4.7", Title = "y" }).ResponseAsync,
            Client.UpdateOperationalObjectiveAsync(new V1.UpdateOperationalObjectiveRequest { Id = operational.Id, Weight = 5 }).ResponseAsync,
            Client.MoveOperationalObjectiveAsync(new V1.MoveOperationalObjectiveRequest { Id = operational.Id, TargetStrategicObjectiveCode = "10.2" }).ResponseAsync,
            Client.DeleteOperationalObjectiveAsync(new V1.DeleteOperationalObjectiveRequest { Id = operational.Id }).ResponseAsync,
            Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023, replace: true)).ResponseAsync,
        ];
        foreach (var change in changes)
            Assert.Contains("2023 is validated", await ExpectError(StatusCode.FailedPrecondition, change));

        var after = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal(locked.ToString(), after.ToString());
        Assert.Empty(await RecordsAfterAsync(lastId));
        Assert.Empty((await Audit.ListArchivedYearsAsync(new V1.ListArchivedYearsRequest { Year = 2023 })).Archives);

        // Published is locked as well; a reopen needs a reason, is audited, and unlocks.
        await Workflow.AdvanceYearAsync(new V1.AdvanceYearRequest { Year = 2023, To = V1.YearState.Published });
        Assert.Contains("2023 is published", await ExpectError(StatusCode.FailedPrecondition, Client.SetRealizationAsync(Value("1.13", 50)).ResponseAsync));
        Assert.Contains("reason", await ExpectError(StatusCode.InvalidArgument,
            Workflow.ReopenYearAsync(new V1.ReopenYearRequest { Year = 2023, Reason = " " }).ResponseAsync));
        var reopened = await Workflow.ReopenYearAsync(new V1.ReopenYearRequest { Year = 2023, Reason = "errore materiale su 1.13" }, As("oiv"));
        Assert.Equal((V1.YearState.Final, false), (reopened.State, reopened.Locked));
        var reopen = (await RecordsAsync()).Last();
        Assert.Equal(("state", "published", "final", "errore materiale su 1.13", "oiv"),
            (reopen.Field, reopen.OldValue, reopen.NewValue, reopen.Note, reopen.Actor));

        var entry = await Client.SetRealizationAsync(Value("1.13", 50, "corretto"));
        Assert.Equal(reopened.Version + 1, entry.Version);
        await Client.UpdateOperationalObjectiveAsync(new V1.UpdateOperationalObjectiveRequest { Id = operational.Id, Weight = 5 });
        Assert.True(imported.Version < entry.Version);
    }

    [Fact]
    public async Task The_audit_list_filters_by_year_objective_actor_and_time_and_pages()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023), As("ufficio.piano"));
        var start = (await RecordsAsync()).Single().At;
        await Client.SetRealizationAsync(Value("1.13", 97, "a"), As("anna"));
        await Client.SetRealizationAsync(Value("1.13", 98, "b"), As("bruno"));
        await Client.SetRealizationAsync(Value("2.2", 90, "c"), As("anna"));
        var created = await Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest
            { Year = 2023, StrategicObjectiveCode = "1.13", Title = "Benessere Sociale: z" }, As("bruno"));
        await Client.UpdateOperationalObjectiveAsync(new V1.UpdateOperationalObjectiveRequest { Id = created.Id, Weight = 4 }, As("anna"));

        var all = await RecordsAsync();
        Assert.Equal(6, all.Count);
        Assert.Equal(all.Select(r => r.Id).Order(), all.Select(r => r.Id));

        // Pages of two, through the token: every record once, in order.
        var paged = new List<V1.AuditRecord>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await Audit.ListAuditRecordsAsync(new V1.ListAuditRecordsRequest { PageSize = 2, PageToken = token });
            Assert.True(page.Records.Count <= 2);
            paged.AddRange(page.Records);
            token = page.NextPageToken;
            pages++;
        } while (token != "");
        Assert.Equal(3, pages);
        Assert.Equal(all.Select(r => r.Id), paged.Select(r => r.Id));

        var on113 = await RecordsAsync(new V1.AuditFilter { Year = 2023, Objective = "1.13" });
        Assert.Equal(["realization", "realization", "created", "weight"], on113.Select(r => r.Field));
        var anna = await RecordsAsync(new V1.AuditFilter { Actor = "anna" });
        Assert.Equal(["1.13", "2.2", created.Id], anna.Select(r => r.Entity));
        Assert.Empty(await RecordsAsync(new V1.AuditFilter { Year = 2024 }));

        var secondValue = all[2];
        var window = await RecordsAsync(new V1.AuditFilter { From = secondValue.At, To = Timestamp.FromDateTimeOffset(secondValue.At.ToDateTimeOffset().AddMilliseconds(1)) });
        Assert.Contains(window, r => r.Id == secondValue.Id);
        Assert.DoesNotContain(window, r => r.At.ToDateTimeOffset() < secondValue.At.ToDateTimeOffset());
        Assert.Equal(all.Count, (await RecordsAsync(new V1.AuditFilter { From = start })).Count);
        Assert.Empty(await RecordsAsync(new V1.AuditFilter { To = start }));

        Assert.Contains("page_token", await ExpectError(StatusCode.InvalidArgument,
            Audit.ListAuditRecordsAsync(new V1.ListAuditRecordsRequest { PageToken = "abc" }).ResponseAsync));
        Assert.Contains("page_size", await ExpectError(StatusCode.InvalidArgument,
            Audit.ListAuditRecordsAsync(new V1.ListAuditRecordsRequest { PageSize = 5000 }).ResponseAsync));
    }

    [Fact]
    public async Task The_CSV_export_parses_back_to_the_records_with_formulas_neutralised()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        await Client.SetRealizationAsync(Value("1.13", 97, "=HYPERLINK(\"http://x\";\"clic\")"), As("@mallory"));
        await Client.SetRealizationAsync(Value("1.13", 98, "nota; con punto e virgola\ne a capo"), As("+anna"));
        var records = await RecordsAsync(new V1.AuditFilter { Year = 2023 });

        var export = await Audit.ExportAuditRecordsAsync(new V1.ExportAuditRecordsRequest { Filter = new V1.AuditFilter { Year = 2023 } });
        Assert.Equal(("text/csv; charset=utf-8", "audit-2023.csv"), (export.ContentType, export.FileName));
        var bytes = export.Content.ToByteArray();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var csv = Encoding.UTF8.GetString(bytes[3..]);
        Assert.EndsWith("\n", csv);
        var rows = SemicolonCsv.Parse(csv);
        Assert.Equal(["id", "at", "actor", "year", "version", "change", "entity_kind", "entity", "objective", "field", "old_value", "new_value", "note", "trace_id"], rows[0]);
        Assert.Equal(records.Count, rows.Count - 1);
        foreach (var (record, row) in records.Zip(rows.Skip(1)))
        {
            Assert.Equal(record.Id.ToString(CultureInfo.InvariantCulture), row[0]);
            Assert.Equal(record.Version.ToString(CultureInfo.InvariantCulture), row[4]);
            Assert.Equal((record.Entity, record.Field, record.OldValue, record.NewValue), (row[7], row[9], row[10], row[11]));
        }
        var formula = rows.Single(r => r[2] == "'@mallory");
        Assert.Equal("'=HYPERLINK(\"http://x\";\"clic\")", formula[12]);
        var multiline = rows.Single(r => r[2] == "'+anna");
        Assert.Equal("nota; con punto e virgola\ne a capo", multiline[12]);
        Assert.Equal(("97", "98"), (multiline[10], multiline[11]));
    }

    private async Task ExplainAllAsync()
    {
        var status = await Workflow.GetYearStateAsync(new V1.GetYearStateRequest { Year = 2023 });
        foreach (var d in status.UnexplainedDeviations)
            await Client.SetRealizationAsync(Value(d.Code, d.Value, "spiegato"));
    }

    private static async Task<string> ExpectError(StatusCode code, Task call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.True(code == error.StatusCode, error.Status.ToString());
        return error.Status.Detail;
    }
}
