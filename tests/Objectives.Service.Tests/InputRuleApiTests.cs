using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerfPlatform.Objectives.Infrastructure;
using PerfPlatform.TestSupport;
using Xunit;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Tests;

public sealed class SqliteInputRuleApiTests() : InputRuleApiTests(connectionString: null);

public sealed class PostgresInputRuleApiTests() : InputRuleApiTests(connectionString: "postgres");

/// <summary>
/// The plan's input rules through the gRPC entry point, on a real HTTP/2 client and each storage provider: every bad
/// value is INVALID_ARGUMENT naming its field, and nothing is stored (no version, no history entry, no event).
/// </summary>
public abstract class InputRuleApiTests(string? connectionString) : IAsyncLifetime
{
    private const string Code21 = "1.1234567890123456789";

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

    /// <summary>Each bad request, the field its refusal must name and the reason.</summary>
    private static IEnumerable<(string Case, Func<V1.Objectives.ObjectivesClient, string, Task> Call, string Field, string Reason)> BadRequests()
    {
        static V1.SetRealizationRequest Value(string operationalId, double value) => new()
            { OperationalObjectiveId = operationalId, Realization = new V1.Realization { Value = value }, AsOf = "2023-12-31" };
        static V1.SetRealizationRequest OnStrategic(int year, string code) => new()
        {
            StrategicObjective = new V1.StrategicObjectiveRef { Year = year, Code = code },
            Realization = new V1.Realization { Value = 50 }, AsOf = "2023-12-31",
        };
        static V1.CreateOperationalObjectiveRequest Create(Action<V1.CreateOperationalObjectiveRequest> edit)
        {
            var request = new V1.CreateOperationalObjectiveRequest { Year = 2023, StrategicObjectiveCode = "1.13", Title = "Benessere Sociale: nuovo", Weight = 1 };
            edit(request);
            return request;
        }

        yield return ("value 98.041", (c, id) => c.SetRealizationAsync(Value(id, 98.041)).ResponseAsync, "realization", "98.041 has more than two decimals");
        yield return ("value 130", (c, id) => c.SetRealizationAsync(Value(id, 130)).ResponseAsync, "realization", "130 is out of range");
        yield return ("value -1", (c, id) => c.SetRealizationAsync(Value(id, -1)).ResponseAsync, "realization", "-1 is out of range");
        yield return ("strategic value in year 0", (c, _) => c.SetRealizationAsync(OnStrategic(0, "1.13")).ResponseAsync,
            "strategic_objective.year", "0 is not a plan year");
        yield return ("strategic value on a 21-character code", (c, _) => c.SetRealizationAsync(OnStrategic(2023, Code21)).ResponseAsync,
            "strategic_objective.code", "is 21 characters long");
        yield return ("objective under a 21-character code", (c, _) => c.CreateOperationalObjectiveAsync(Create(r => r.StrategicObjectiveCode = Code21)).ResponseAsync,
            "strategic_objective_code", "is 21 characters long");
        yield return ("weight 0.00001", (c, _) => c.CreateOperationalObjectiveAsync(Create(r => r.Weight = 0.00001)).ResponseAsync,
            "weight", "has more than four decimals");
        yield return ("weight 1001", (c, _) => c.CreateOperationalObjectiveAsync(Create(r => r.Weight = 1001)).ResponseAsync,
            "weight", "a weight is at most 1000");
        yield return ("objective in year 0", (c, _) => c.CreateOperationalObjectiveAsync(Create(r => r.Year = 0)).ResponseAsync,
            "year", "0 is not a plan year");
        yield return ("title of 4001 characters", (c, _) => c.CreateOperationalObjectiveAsync(Create(r => r.Title = new string('x', 4001))).ResponseAsync,
            "title", "is 4001 characters long; at most 4000 are kept");
        yield return ("sector of 201 characters", (c, _) => c.CreateOperationalObjectiveAsync(Create(r => r.Sectors.Add(new string('s', 201)))).ResponseAsync,
            "sectors[0]", "is 201 characters long");
        yield return ("weight 0.00001 on an update", (c, id) => c.UpdateOperationalObjectiveAsync(
            new V1.UpdateOperationalObjectiveRequest { Id = id, Weight = 0.00001 }).ResponseAsync, "weight", "has more than four decimals");
        yield return ("value as of year 1", (c, id) => c.SetRealizationAsync(new V1.SetRealizationRequest
            { OperationalObjectiveId = id, Realization = new V1.Realization { Value = 50 }, AsOf = "0001-12-31" }).ResponseAsync, "as_of", "1 is not a plan year");
        yield return ("note of 2001 characters", (c, id) => c.SetRealizationAsync(new V1.SetRealizationRequest
            { OperationalObjectiveId = id, Realization = new V1.Realization { Value = 50 }, AsOf = "2023-12-31", Note = new string('n', 2001) }).ResponseAsync,
            "note", "is 2001 characters long");
        yield return ("area 1000", (c, _) => c.CreateAreaAsync(new V1.CreateAreaRequest { Year = 2023, Number = 1000, Name = "Mille" }).ResponseAsync,
            "number", "areas are numbered from 1 to 999");
        yield return ("CSV import of year 0", (c, _) => c.ImportDocumentAsync(Csv(anno: "0")).ResponseAsync, "anno", "0 is not a plan year");
        yield return ("CSV import with a 21-character code", (c, _) => c.ImportDocumentAsync(Csv(code: Code21)).ResponseAsync,
            "codice", "is 21 characters long");
        yield return ("Relazione import with a 21-character code", (c, _) => c.ImportDocumentAsync(
            Documents.Relazione(Documents.Lecce2023.Replace("\t1.13\t", $"\t{Code21}\t"), replace: true)).ResponseAsync,
            "line", "is 21 characters long");
    }

    private static V1.ImportDocumentRequest Csv(string anno = "2023", string code = "1.1") => new()
    {
        Format = V1.DocumentFormat.Csv, FileName = "piano.csv", ReplaceExisting = true,
        Content = ByteString.CopyFrom(Encoding.UTF8.GetBytes(string.Join("\r\n",
            "tipo;anno;mandato;area;codice;titolo;peso;valore",
            $"ENTE;{anno};2019-2024;;;Città di Lecce;;",
            "AREA;;;1;;Governance;;",
            $"OS;;;1;{code};Trasparenza;;",
            "OO;;;;;Benessere Sociale: obiettivo;1;50") + "\r\n")),
    };

    [Fact]
    public async Task Every_bad_value_is_refused_naming_its_field_and_nothing_is_stored()
    {
        var imported = await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var objective = (await Client.ListOperationalObjectivesAsync(new V1.ListOperationalObjectivesRequest { Year = 2023, StrategicObjectiveCode = "1.13" })).Items[0];
        await _host.Events.WaitForAsync(e => e.Reason == "import", "the import's PlanChanged");
        var before = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
        var (entries, outbox) = await CountStoredAsync();

        foreach (var (name, call, field, reason) in BadRequests())
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => call(Client, objective.Id));
            Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{name}: {error.Status}");
            Assert.True(error.Status.Detail.Contains(field) && error.Status.Detail.Contains(reason), $"{name}: \"{error.Status.Detail}\" should name {field} and say \"{reason}\"");
        }

        var after = await Client.GetYearTreeAsync(new V1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal(imported.Version, after.Version);
        Assert.Equal(before.ToString(), after.ToString());
        Assert.Equal((entries, outbox), await CountStoredAsync());
        Assert.Equal(["import"], _host.Events.All.Select(e => e.Reason));
    }

    [Fact]
    public async Task A_double_a_rounding_error_from_two_decimals_is_stored_as_that_value()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));
        var objective = (await Client.ListOperationalObjectivesAsync(new V1.ListOperationalObjectivesRequest { Year = 2023, StrategicObjectiveCode = "1.13" })).Items[0];
        const double computed = 90 + 8.04; // 98.03999999999999 in binary floating point
        Assert.NotEqual(98.04.ToString("R"), computed.ToString("R"));

        var entry = await Client.SetRealizationAsync(new V1.SetRealizationRequest
            { OperationalObjectiveId = objective.Id, Realization = new V1.Realization { Value = computed }, AsOf = "2023-12-31" });
        var onStrategic = await Client.SetRealizationAsync(new V1.SetRealizationRequest
        {
            StrategicObjective = new V1.StrategicObjectiveRef { Year = 2023, Code = "1.13." }, // the trailing dot of the annex
            Realization = new V1.Realization { Value = computed }, AsOf = "2023-12-31",
        });

        Assert.Equal(98.04, entry.Realization.Value);
        Assert.Equal(98.04, onStrategic.Realization.Value);
        Assert.Equal(98.04, (await Client.GetOperationalObjectiveAsync(new V1.GetOperationalObjectiveRequest { Id = objective.Id })).Realization.Value);
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObjectivesDbContext>();
        var stored = await db.OperationalObjectives.AsNoTracking().SingleAsync(o => o.Id == Guid.Parse(objective.Id));
        Assert.Equal(98.04m, stored.Realization!.Value.Value);
    }

    [Fact]
    public async Task A_weight_within_a_rounding_error_of_four_decimals_is_stored_as_that_value()
    {
        await Client.ImportDocumentAsync(Documents.Relazione(Documents.Lecce2023));

        var created = await Client.CreateOperationalObjectiveAsync(new V1.CreateOperationalObjectiveRequest
            { Year = 2023, StrategicObjectiveCode = "1.13", Title = "Benessere Sociale: pesato", Weight = 0.1 + 0.2 });

        Assert.Equal(0.3, created.Weight);
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObjectivesDbContext>();
        Assert.Equal(0.3m, (await db.OperationalObjectives.AsNoTracking().SingleAsync(o => o.Id == Guid.Parse(created.Id))).Weight);
    }

    private async Task<(int Entries, int Outbox)> CountStoredAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObjectivesDbContext>();
        return (await db.RealizationEntries.CountAsync(), await db.OutboxMessages.CountAsync());
    }
}
