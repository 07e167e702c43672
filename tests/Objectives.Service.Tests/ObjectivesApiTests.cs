using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.Objectives.Infrastructure;
using PerfPlatform.TestSupport;
using Xunit;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Tests;

public sealed class SqliteObjectivesApiTests() : ObjectivesApiTests(connectionString: null);

public sealed class PostgresObjectivesApiTests() : ObjectivesApiTests(connectionString: "postgres")
{
}

/// <summary>
/// The Objectives gRPC API through a real HTTP/2 client, on each storage provider. Each test gets its own
/// host and database.
/// </summary>
public abstract class ObjectivesApiTests(string? connectionString) : IAsyncLifetime
{
    /// <summary>Counted by hand in the 2023 annex (see the importer's tests for the tricky cells).</summary>
    public const int LecceOperationalObjectives2023 = OperationalObjectivesInLecce2023.Count;

    private PostgresDatabase? _database;
    private ObjectivesHost _host = null!;
    private V1.Objectives.ObjectivesClient Client => _host.Client;

    public async Task InitializeAsync()
    {
        string? cs = null;
        if (connectionString == "postgres")
        {
            _database = await PostgresDatabase.CreateAsync("objectives");
            cs = _database.ConnectionString;
        }
        _host = await ObjectivesHost.StartAsync(cs);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    [Fact]
    public async Task Importing_the_2023_annex_holds_the_whole_plan_with_the_declared_figures()
    {
        var response = await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        Assert.Equal((2023, 10, 55, LecceOperationalObjectives2023), (response.Year, response.Areas, response.StrategicObjectives, response.OperationalObjectives));

        var tree = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal("Città di Lecce", tree.EntityName);
        Assert.Equal((2019, 2024), (tree.MandateStartYear, tree.MandateEndYear));
        Assert.Equal(Enumerable.Range(1, 10), tree.Areas.Select(a => a.Number));
        Assert.Equal(55, tree.Areas.Sum(a => a.StrategicObjectives.Count));
        Assert.Equal(LecceOperationalObjectives2023, tree.Areas.SelectMany(a => a.StrategicObjectives).Sum(s => s.OperationalObjectives.Count));
        Assert.Equal(99.39, tree.DeclaredEntityLevel.Value);

        var area1 = tree.Areas[0];
        Assert.Equal("Cittadinanza Attiva Innovazione e semplificazione amministrativa Società Partecipate e Bilancio", area1.Name);
        Assert.Equal(99.52, area1.DeclaredMean.Value);
        var so113 = area1.StrategicObjectives.Single(s => s.Code == "1.13");
        Assert.Equal(96.67, so113.Declared.Value);
        Assert.Equal(96.67, so113.Realization.Value);
        Assert.StartsWith("Semplificare l'accesso ai servizi comunali", so113.Title);

        var area9 = tree.Areas[8];
        Assert.Equal("Commercio", area9.Name);
        Assert.Equal("obiettivi in parte raggiunti negli anni precedenti.", area9.Footnote);
        Assert.All(area9.StrategicObjectives, s => Assert.True(s.Declared.NotAssessed));
        Assert.Equal(95.0, tree.Areas[9].DeclaredMean.Value);
        Assert.Equal(90.0, tree.Areas[9].StrategicObjectives.Single(s => s.Code == "10.1").Declared.Value);

        var imported = await _host.Events.WaitForAsync(e => e.Year == 2023 && e.Reason == "import", "the import's PlanChanged");
        Assert.Equal(55, imported.StrategicObjectives.Count);
        Assert.Equal(10, imported.Areas.Count);
        Assert.True(imported.DeclaredEntityLevelIncluded);
        Assert.Equal(99.39m, imported.DeclaredEntityLevel);
        Assert.Equal(tree.Version, imported.PlanVersion);
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_be_created_and_stores_nothing()
    {
        var response = await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023, dryRun: true));
        Assert.True(response.DryRun);
        Assert.Equal((10, 55, LecceOperationalObjectives2023), (response.Areas, response.StrategicObjectives, response.OperationalObjectives));
        Assert.Equal(10, response.Tree.Areas.Count);
        Assert.NotEmpty(response.Warnings); // area 9 has no MEDIA value: a person should look at it

        var notFound = await Assert.ThrowsAsync<RpcException>(() => Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Contains("2023", notFound.Status.Detail);
        await AssertNoEventsStoredAsync();
    }

    [Fact]
    public async Task A_year_imports_once_unless_replacing_is_asked()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var again = await Assert.ThrowsAsync<RpcException>(() => Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023)).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, again.StatusCode);
        Assert.Contains("2023", again.Status.Detail);

        var changed = Documents.Lecce2023.Replace("\t96,67", "\t88,50");
        var replaced = await Client.ImportDocumentAsync(Documents.Relazione(changed, replace: true));
        Assert.Equal(2, replaced.Version);
        var so = await Client.GetStrategicObjectiveAsync(new V1.GetStrategicObjectiveRequest { Year = 2023, Code = "1.13" });
        Assert.Equal(88.5, so.Declared.Value);
    }

    public static TheoryData<string, string> BadDocuments => new()
    {
        { "", "empty" },
        { "hello world\nthis is not a report\n", "not a Relazione" },
        { Documents.Lecce2023.Replace("\t96,67", "\t130"), "130" },
        { Documents.Lecce2023.Replace("\t96,67", "\tabc"), "abc" },
        { Documents.Lecce2023.Replace("1.14\tAttuare", "1.13\tAttuare"), "1.13" },
        { Documents.Lecce2023[..(Documents.Lecce2023.Length / 2)], "truncated" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task A_bad_document_is_refused_with_its_reason_and_nothing_is_stored(string text, string reason)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.ImportDocumentAsync(Documents.Relazione(text)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("nothing was stored", error.Status.Detail);
        Assert.Contains(reason, error.Status.Detail, StringComparison.OrdinalIgnoreCase);
        await AssertNoYearAsync(2023);
        await AssertNoEventsStoredAsync();
    }

    [Fact]
    public async Task A_50_MB_document_is_refused_before_parsing()
    {
        var text = new string('x', 50 * 1024 * 1024);
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.ImportDocumentAsync(Documents.Relazione(text)).ResponseAsync);
        Assert.True(error.StatusCode == StatusCode.InvalidArgument, error.Status.ToString());
        Assert.Contains("50.0 MB", error.Status.Detail);
        Assert.Contains("10 MB", error.Status.Detail);
    }

    [Fact]
    public async Task Setting_a_value_keeps_the_history_bumps_the_version_and_publishes_the_branch()
    {
        var imported = await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var entry = await Client.SetRealizationAsync(new V1.SetRealizationRequest
        {
            StrategicObjective = new V1.StrategicObjectiveRef { Year = 2023, Code = "1.13" },
            Realization = new V1.Realization { Value = 100 }, AsOf = "2023-12-31", Note = "final figure",
        }, _host.As("controllo.strategico"));
        Assert.Equal(imported.Version + 1, entry.Version);
        Assert.Equal("controllo.strategico", entry.RecordedBy);

        var so = await Client.GetStrategicObjectiveAsync(new V1.GetStrategicObjectiveRequest { Year = 2023, Code = "1.13" });
        Assert.Equal(100, so.Realization.Value);
        Assert.Equal(96.67, so.Declared.Value); // the declared figure stays as declared

        var history = await Client.GetRealizationHistoryAsync(new V1.GetRealizationHistoryRequest
        {
            StrategicObjective = new V1.StrategicObjectiveRef { Year = 2023, Code = "1.13" },
        });
        Assert.Equal([96.67, 100], history.Entries.Select(e => e.Realization.Value));
        Assert.Equal(["import", "grpc"], history.Entries.Select(e => e.Source));

        var changed = await _host.Events.WaitForAsync(e => e.Reason == "realization-set", "the value's PlanChanged");
        var branch = Assert.Single(changed.StrategicObjectives);
        Assert.Equal(("1.13", 1, 100m, 96.67m), (branch.Code, branch.AreaNumber, branch.OwnValue, branch.DeclaredValue));
        Assert.Equal(entry.Version, changed.PlanVersion);
        Assert.Equal("controllo.strategico", changed.ChangedBy);
    }

    [Fact]
    public async Task Invalid_changes_name_the_field_or_the_id_and_change_nothing()
    {
        var imported = await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var soRef = new V1.StrategicObjectiveRef { Year = 2023, Code = "1.13" };

        var outOfRange = await ExpectError(StatusCode.InvalidArgument, Client.SetRealizationAsync(new V1.SetRealizationRequest
            { StrategicObjective = soRef, Realization = new V1.Realization { Value = 130 }, AsOf = "2023-12-31" }).ResponseAsync);
        Assert.Contains("realization", outOfRange);
        Assert.Contains("130", outOfRange);

        var badDate = await ExpectError(StatusCode.InvalidArgument, Client.SetRealizationAsync(new V1.SetRealizationRequest
            { StrategicObjective = soRef, Realization = new V1.Realization { Value = 50 }, AsOf = "31/12/2023" }).ResponseAsync);
        Assert.Contains("as_of", badDate);

        var unknownId = Guid.NewGuid().ToString();
        var notFound = await ExpectError(StatusCode.NotFound, Client.SetRealizationAsync(new V1.SetRealizationRequest
            { OperationalObjectiveId = unknownId, Realization = new V1.Realization { Value = 50 }, AsOf = "2023-06-30" }).ResponseAsync);
        Assert.Contains(unknownId, notFound);

        var unknownCode = await ExpectError(StatusCode.NotFound, Client.SetRealizationAsync(new V1.SetRealizationRequest
            { StrategicObjective = new V1.StrategicObjectiveRef { Year = 2023, Code = "1.99" }, Realization = new V1.Realization { Value = 50 }, AsOf = "2023-06-30" }).ResponseAsync);
        Assert.Contains("1.99", unknownCode);
        var unknownYear = await ExpectError(StatusCode.NotFound, Client.SetRealizationAsync(new V1.SetRealizationRequest
            { StrategicObjective = new V1.StrategicObjectiveRef { Year = 1999, Code = "1.13" }, Realization = new V1.Realization { Value = 50 }, AsOf = "1999-06-30" }).ResponseAsync);
        Assert.Contains("1999", unknownYear);

        var duplicate = await ExpectError(StatusCode.AlreadyExists, Client.CreateStrategicObjectiveAsync(new V1.CreateStrategicObjectiveRequest
            { Year = 2023, Code = "1.13", AreaNumber = 1, Title = "again" }).ResponseAsync);
        Assert.Contains("1.13", duplicate);

        var badCode = await ExpectError(StatusCode.InvalidArgument, Client.CreateStrategicObjectiveAsync(new V1.CreateStrategicObjectiveRequest
            { Year = 2023, Code = "uno", AreaNumber = 1, Title = "x" }).ResponseAsync);
        Assert.Contains("code", badCode);

        var badWeight = await ExpectError(StatusCode.InvalidArgument, Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest
            { Year = 2023, StrategicObjectiveCode = "1.13", Title = "Benessere Sociale: x", Weight = -1 }).ResponseAsync);
        Assert.Contains("weight", badWeight);

        var tree = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal(imported.Version, tree.Version);
    }

    [Fact]
    public async Task Creating_moving_updating_and_deleting_an_operational_objective_publishes_every_touched_branch()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var created = await Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest
        {
            Year = 2023, StrategicObjectiveCode = "4.7", Title = "Benessere Economico e Ambientale: OB. TRASV. - nuovo obiettivo PNRR M1C3",
            Sectors = { "Turismo", "Ambiente" }, Weight = 2,
            Indicators = { new V1.Indicator { Name = "presenze", Baseline = 10, Target = 20, Unit = "migliaia", Direction = V1.IndicatorDirection.Increase } },
        });
        Assert.Equal([V1.BesDimension.Economico, V1.BesDimension.Ambientale], created.BesDimensions.OrderBy(d => d == V1.BesDimension.Ambientale));
        Assert.True(created.CrossCutting);
        Assert.Contains(created.FundingReferences, r => r.StartsWith("PNRR"));
        Assert.Equal(2, created.Weight);
        Assert.False(created.Indicators[0].HasActual);

        var createdEvent = await _host.Events.WaitForAsync(e => e.Reason == "objective-created", "objective-created");
        Assert.Equal("4.7", Assert.Single(createdEvent.StrategicObjectives).Code);

        var moved = await Client.MoveOperationalObjectiveAsync(new V1.MoveOperationalObjectiveRequest { Id = created.Id, TargetStrategicObjectiveCode = "10.2" });
        Assert.Equal(("10.2", 10), (moved.StrategicObjectiveCode, moved.AreaNumber));
        var movedEvent = await _host.Events.WaitForAsync(e => e.Reason == "objective-moved", "objective-moved");
        Assert.Equal(["10.2", "4.7"], movedEvent.StrategicObjectives.Select(s => s.Code).Order());
        Assert.DoesNotContain(movedEvent.StrategicObjectives.Single(s => s.Code == "4.7").OperationalObjectives, o => o.Id.ToString() == created.Id);

        await Client.SetRealizationAsync(new V1.SetRealizationRequest
            { OperationalObjectiveId = created.Id, Realization = new V1.Realization { Value = 75.5 }, AsOf = "2023-06-30" });
        var valueEvent = await _host.Events.WaitForAsync(e => e.Reason == "realization-set", "realization-set");
        Assert.Equal(75.5m, valueEvent.StrategicObjectives.Single().OperationalObjectives.Single(o => o.Id.ToString() == created.Id).Value);

        var updated = await Client.UpdateOperationalObjectiveAsync(new V1.UpdateOperationalObjectiveRequest { Id = created.Id, Weight = 3 });
        Assert.Equal(3, updated.Weight);
        Assert.Equal(75.5, updated.Realization.Value);

        await Client.DeleteOperationalObjectiveAsync(new V1.DeleteOperationalObjectiveRequest { Id = created.Id });
        var deleted = await _host.Events.WaitForAsync(e => e.Reason == "objective-deleted", "objective-deleted");
        Assert.DoesNotContain(deleted.StrategicObjectives.Single(s => s.Code == "10.2").OperationalObjectives, o => o.Id.ToString() == created.Id);
        var gone = await ExpectError(StatusCode.NotFound, Client.GetOperationalObjectiveAsync(new V1.GetOperationalObjectiveRequest { Id = created.Id }).ResponseAsync);
        Assert.Contains(created.Id, gone);

        // Every accepted change: exactly one event, all of them dispatched; versions strictly increase.
        var versions = _host.Events.All.Where(e => e.Year == 2023).Select(e => e.PlanVersion).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        await Probe.UntilAsync(CountUndispatchedAsync, n => n == 0, "every outbox message dispatched");
    }

    [Fact]
    public async Task Concurrent_changes_to_one_year_are_all_stored_each_with_its_own_version_and_event()
    {
        var imported = await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var codes = new[] { "1.1", "1.10", "1.11", "1.12", "1.13", "1.14", "1.15", "1.16", "2.2", "2.3", "2.5", "2.7" };
        var entries = await Task.WhenAll(codes.Select((code, i) => Client.SetRealizationAsync(new V1.SetRealizationRequest
        {
            StrategicObjective = new V1.StrategicObjectiveRef { Year = 2023, Code = code },
            Realization = new V1.Realization { Value = 50 + i }, AsOf = "2023-06-30",
        }).ResponseAsync));

        // Serialised by the year's version: every change got its own, none was lost.
        Assert.Equal(Enumerable.Range(1, codes.Length).Select(i => imported.Version + i), entries.Select(e => e.Version).Order());
        var tree = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal(imported.Version + codes.Length, tree.Version);
        var all = tree.Areas.SelectMany(a => a.StrategicObjectives).ToDictionary(s => s.Code);
        Assert.All(codes.Select((code, i) => (code, i)), c => Assert.Equal(50 + c.i, all[c.code].Realization.Value));

        var events = await Probe.UntilAsync(() => Task.FromResult(_host.Events.All.Where(e => e.Reason == "realization-set").ToList()),
            e => e.Count >= codes.Length, "one event per change");
        Assert.Equal(entries.Select(e => e.Version).Order(), events.Select(e => e.PlanVersion).Order());
    }

    [Fact]
    public async Task A_value_set_after_its_branch_changed_describes_the_branch_as_it_now_is()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        await SetAsync(Client, "4.7", 80);
        await _host.Events.WaitForAsync(e => e.Reason == "realization-set", "the first value's event");
        var created = await Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest
        {
            Year = 2023, StrategicObjectiveCode = "4.7", Title = "Benessere Economico: nuovo obiettivo", Sectors = { "Turismo" }, Weight = 1,
        });

        // The writer keeps the branches it has read between value sets; the change above must not leave it describing 4.7 without it.
        var second = await SetAsync(Client, "4.7", 81);
        var changed = await _host.Events.WaitForAsync(e => e.Reason == "realization-set" && e.PlanVersion == second.Version, "the second value's event");
        var branch = Assert.Single(changed.StrategicObjectives);
        Assert.Equal(81m, branch.OwnValue);
        Assert.Contains(branch.OperationalObjectives, o => o.Id.ToString() == created.Id);
    }

    [Fact]
    public async Task Two_replicas_on_one_database_interleave_values_without_losing_any()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        await using var replica = await ObjectivesHost.StartAsync(_host.ConnectionString);

        // Each writer keeps what it read; the other's writes in between must make it read again, not overwrite them.
        var entries = new List<V1.RealizationEntry>();
        for (var i = 0; i < 6; i++)
            entries.Add(await SetAsync(i % 2 == 0 ? Client : replica.Client, "1.13", 60 + i));

        Assert.Equal(Enumerable.Range(0, 6).Select(i => entries[0].Version + i), entries.Select(e => e.Version));
        var so = await replica.Client.GetStrategicObjectiveAsync(new V1.GetStrategicObjectiveRequest { Year = 2023, Code = "1.13" });
        Assert.Equal(65, so.Realization.Value);
        var history = await Client.GetRealizationHistoryAsync(new V1.GetRealizationHistoryRequest
        {
            StrategicObjective = new V1.StrategicObjectiveRef { Year = 2023, Code = "1.13" },
        });
        Assert.Equal([96.67, 60, 61, 62, 63, 64, 65], history.Entries.Select(e => e.Realization.Value));
    }

    private static async Task<V1.RealizationEntry> SetAsync(V1.Objectives.ObjectivesClient client, string code, double value) =>
        await client.SetRealizationAsync(new V1.SetRealizationRequest
        {
            StrategicObjective = new V1.StrategicObjectiveRef { Year = 2023, Code = code },
            Realization = new V1.Realization { Value = value }, AsOf = "2023-12-31",
        });

    [Fact]
    public async Task Listing_filters_by_area_dimension_flags_funding_and_text()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        async Task<IReadOnlyList<V1.OperationalObjective>> List(V1.ListOperationalObjectivesRequest r)
        {
            r.Year = 2023;
            return (await Client.ListOperationalObjectivesAsync(r)).Items;
        }

        var all = await List(new());
        Assert.Equal(LecceOperationalObjectives2023, all.Count);
        Assert.All(await List(new() { AreaNumber = 6 }), o => Assert.Equal(6, o.AreaNumber));
        var environmental = await List(new() { BesDimension = V1.BesDimension.Ambientale });
        Assert.NotEmpty(environmental);
        Assert.All(environmental, o => Assert.Contains(V1.BesDimension.Ambientale, o.BesDimensions));
        Assert.True(environmental.Count < all.Count);
        var crossCutting = await List(new() { CrossCutting = true });
        Assert.Contains(crossCutting, o => o.StrategicObjectiveCode == "1.12");
        Assert.All(crossCutting, o => Assert.Contains("OB. TRASV.", o.Title));
        var interSector = await List(new() { InterSector = true });
        Assert.Contains(interSector, o => o.StrategicObjectiveCode == "6.4");
        Assert.Contains(await List(new() { Funding = "PNRR" }), o => o.Title.Contains("PINQUA"));
        Assert.Contains(await List(new() { Funding = "CIS" }), o => o.StrategicObjectiveCode == "10.1");
        var text = await List(new() { Text = "pagopa" });
        Assert.All(text, o => Assert.Contains("pagopa", o.Title, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, text.Count);

        // In the annex every operational objective shares its strategic objective's %, and area 9 has none.
        Assert.Empty(await List(new() { NotAssessed = true }));
        var pending = await Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest
            { Year = 2023, StrategicObjectiveCode = "9.1", Title = "Benessere Economico: documento strategico del commercio" });
        var notAssessed = Assert.Single(await List(new() { NotAssessed = true }));
        Assert.Equal(pending.Id, notAssessed.Id);
        await Client.SetRealizationAsync(new V1.SetRealizationRequest
            { OperationalObjectiveId = pending.Id, Realization = new V1.Realization { Value = 40 }, AsOf = "2023-06-30" });
        Assert.Empty(await List(new() { NotAssessed = true }));
    }

    [Fact]
    public async Task A_year_exported_as_CSV_and_XLSX_imports_back_without_loss()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        // A value changed after the import must survive too, beside the declared one.
        await Client.SetRealizationAsync(new V1.SetRealizationRequest
        {
            StrategicObjective = new V1.StrategicObjectiveRef { Year = 2023, Code = "1.13" },
            Realization = new V1.Realization { Value = 98.5 }, AsOf = "2023-12-31",
        });
        var created = await Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest
        {
            Year = 2023, StrategicObjectiveCode = "2.2", Title = "Benessere Sociale: nuovo; con \"virgolette\"", Sectors = { "Cultura" }, Weight = 1.5,
            Indicators = { new V1.Indicator { Name = "utenti", Baseline = 1, Target = 2.5, Actual = 2, Unit = "n", Direction = V1.IndicatorDirection.Target } },
        });
        await Client.SetRealizationAsync(new V1.SetRealizationRequest
            { OperationalObjectiveId = created.Id, Realization = new V1.Realization { NotAssessed = true }, AsOf = "2023-06-30" });
        var original = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal(98.5, original.Areas[0].StrategicObjectives.Single(s => s.Code == "1.13").Realization.Value);
        foreach (var format in new[] { V1.DocumentFormat.Csv, V1.DocumentFormat.Xlsx })
        {
            var export = await Client.ExportYearAsync(new V1.ExportYearRequest { Year = 2023, Format = format });
            Assert.True(export.Content.Length > 1000);
            await Client.ImportDocumentAsync(new V1.ImportDocumentRequest { Content = export.Content, Format = format, ReplaceExisting = true });
            var back = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
            Assert.Equal(Comparable(original), Comparable(back));
        }
    }

    [Fact]
    public async Task Republishing_a_year_sends_its_whole_state_at_the_same_version()
    {
        var imported = await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var response = await Client.RepublishYearAsync(new V1.RepublishYearRequest { Year = 2023 });
        Assert.Equal((imported.Version, 55), (response.Version, response.StrategicObjectives));

        var resync = await _host.Events.WaitForAsync(e => e.Reason == "resync", "the resync PlanChanged");
        Assert.Equal(imported.Version, resync.PlanVersion);
        Assert.Equal(55, resync.StrategicObjectives.Count);
        Assert.Equal(LecceOperationalObjectives2023, resync.StrategicObjectives.Sum(s => s.OperationalObjectives.Count));
        Assert.Equal(10, resync.Areas.Count);
        Assert.Equal(99.39m, resync.DeclaredEntityLevel);
        var tree = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal(imported.Version, tree.Version); // nothing changed

        var missing = await ExpectError(StatusCode.NotFound, Client.RepublishYearAsync(new V1.RepublishYearRequest { Year = 1999 }).ResponseAsync);
        Assert.Contains("1999", missing);
    }

    [Fact]
    public async Task Listing_years_gives_each_held_year_with_its_current_version()
    {
        Assert.Empty((await Client.ListYearsAsync(new V1.ListYearsRequest())).Years);
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var set = await Client.SetRealizationAsync(new V1.SetRealizationRequest
        {
            StrategicObjective = new V1.StrategicObjectiveRef { Year = 2023, Code = "1.13" },
            Realization = new V1.Realization { Value = 100 }, AsOf = "2023-12-31",
        });

        var year = Assert.Single((await Client.ListYearsAsync(new V1.ListYearsRequest())).Years);
        Assert.Equal((2023, set.Version, "Città di Lecce"), (year.Year, year.Version, year.EntityName));
    }

    [Fact]
    public async Task Reflection_and_health_answer()
    {
        var health = await new Health.HealthClient(_host.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        using var call = new ServerReflection.ServerReflectionClient(_host.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "perf.objectives.v1.Objectives");
    }

    /// <summary>The tree without ids and versions, which an import assigns anew.</summary>
    private static string Comparable(V1.YearTree tree)
    {
        var copy = tree.Clone();
        copy.Version = 0;
        foreach (var oo in copy.Areas.SelectMany(a => a.StrategicObjectives).SelectMany(s => s.OperationalObjectives)) oo.Id = "";
        return copy.ToString();
    }

    private static async Task<string> ExpectError(StatusCode code, Task call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(code, error.StatusCode);
        return error.Status.Detail;
    }

    private async Task AssertNoYearAsync(int year)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = year }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private async Task AssertNoEventsStoredAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObjectivesDbContext>();
        Assert.Equal(0, await db.OutboxMessages.CountAsync());
        Assert.Equal(0, await db.PlanYears.CountAsync());
        Assert.Empty(_host.Events.All);
    }

    private async Task<int> CountUndispatchedAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ObjectivesDbContext>().OutboxMessages.CountAsync(m => m.DispatchedAt == null);
    }
}
