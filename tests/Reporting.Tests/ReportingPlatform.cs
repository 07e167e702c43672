using Google.Protobuf;
using Grpc.Core;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ReportingV1 = PerfPlatform.Reporting.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Reporting.Tests;

/// <summary>
/// Objectives, Scoring and Reporting as three processes, each on its own PostgreSQL database, on one RabbitMQ, and
/// the gateway in front of them.
/// </summary>
public sealed class ReportingPlatform : IAsyncLifetime
{
    private readonly List<PostgresDatabase> _databases = [];
    public HostProcess Objectives { get; private set; } = null!;
    public HostProcess Scoring { get; private set; } = null!;
    public HostProcess Reporting { get; private set; } = null!;
    public HostProcess Gateway { get; private set; } = null!;
    public ObjectivesV1.Objectives.ObjectivesClient ObjectivesClient => new(Objectives.Channel);
    public ScoringV1.Scoring.ScoringClient ScoringClient => new(Scoring.Channel);
    public ReportingV1.Reporting.ReportingClient ReportingClient => new(Reporting.Channel);

    public async Task InitializeAsync()
    {
        var objectivesDb = await DatabaseAsync("rep_objectives");
        var scoringDb = await DatabaseAsync("rep_scoring");
        Objectives = await HostProcess.StartAsync("services/Objectives/Objectives.Host", new Dictionary<string, string>
        {
            ["ConnectionStrings__ObjectivesDb"] = objectivesDb,
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["ConnectionStrings__RabbitMq"] = TestEnvironment.RabbitMqUrl,
        });
        Scoring = await HostProcess.StartAsync("services/Scoring/Scoring.Host", new Dictionary<string, string>
        {
            ["ConnectionStrings__ScoringDb"] = scoringDb,
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["ConnectionStrings__RabbitMq"] = TestEnvironment.RabbitMqUrl,
            ["Services__Objectives"] = $"http://127.0.0.1:{Objectives.GrpcPort}",
        });
        Reporting = await StartReportingAsync();
        Gateway = await HostProcess.StartAsync("gateway/Gateway", new Dictionary<string, string>
        {
            ["Services__Objectives"] = $"http://127.0.0.1:{Objectives.GrpcPort}",
            ["Services__Scoring"] = $"http://127.0.0.1:{Scoring.GrpcPort}",
            ["Services__Reporting"] = $"http://127.0.0.1:{Reporting.GrpcPort}",
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}",
            ["Auth__Disabled"] = "true", // tokens are tests/Platform.AccessTests' and tests/Identity.Tests' subject
        });
    }

    /// <summary>A Reporting process on a database of its own (a fresh one: as if started late, or after its database was lost).</summary>
    public async Task<HostProcess> StartReportingAsync() =>
        await HostProcess.StartAsync("services/Reporting/Reporting.Host", new Dictionary<string, string>
        {
            ["ConnectionStrings__ReportingDb"] = await DatabaseAsync("rep_reporting"),
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["ConnectionStrings__RabbitMq"] = TestEnvironment.RabbitMqUrl,
            ["Services__Objectives"] = $"http://127.0.0.1:{Objectives.GrpcPort}",
            ["Services__Scoring"] = $"http://127.0.0.1:{Scoring.GrpcPort}",
            // Short, so a test of the periodic repair does not wait the default minute.
            ["Reconciliation__Interval"] = "00:00:02",
        });

    /// <summary>Replaces the running Reporting by one on an empty database.</summary>
    public async Task ReplaceReportingAsync()
    {
        await Reporting.DisposeAsync();
        Reporting = await StartReportingAsync();
    }

    private async Task<string> DatabaseAsync(string prefix)
    {
        var db = await PostgresDatabase.CreateAsync(prefix);
        _databases.Add(db);
        return db.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { Gateway, Reporting, Scoring, Objectives })
            if (host is not null) await host.DisposeAsync();
        foreach (var db in _databases) await db.DisposeAsync();
    }
}

public sealed record Report(byte[] Content, string ContentType, string FileName, long PlanVersion, long ScoreVersion, int Chunks)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Content);
}

public static class Clients
{
    public static async Task<ObjectivesV1.ImportDocumentResponse> ImportAsync(this ObjectivesV1.Objectives.ObjectivesClient client, string text) =>
        await client.ImportDocumentAsync(new ObjectivesV1.ImportDocumentRequest
        {
            Content = ByteString.CopyFromUtf8(text), Format = ObjectivesV1.DocumentFormat.RelazioneText, FileName = "relazione.txt",
        });

    public static async Task<ObjectivesV1.RealizationEntry> SetAsync(this ObjectivesV1.Objectives.ObjectivesClient client, int year, string code, double value) =>
        await client.SetRealizationAsync(new ObjectivesV1.SetRealizationRequest
        {
            StrategicObjective = new ObjectivesV1.StrategicObjectiveRef { Year = year, Code = code },
            Realization = new ObjectivesV1.Realization { Value = value }, AsOf = $"{year}-12-31",
        });

    /// <summary>Reads a report's whole stream; the first chunk names it.</summary>
    public static async Task<Report> GetReportAsync(this ReportingV1.Reporting.ReportingClient client, int year, ReportingV1.ReportFormat format)
    {
        using var call = client.GetReport(new ReportingV1.GetReportRequest { Year = year, Format = format });
        using var content = new MemoryStream();
        ReportingV1.ReportChunk? first = null;
        var chunks = 0;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            first ??= chunk;
            chunk.Data.WriteTo(content);
            chunks++;
        }
        Assert.NotNull(first);
        Assert.Equal(first.TotalBytes, content.Length);
        return new Report(content.ToArray(), first.ContentType, first.FileName, first.PlanVersion, first.ScoreVersion, chunks);
    }

    /// <summary>Polls until Reporting holds the year at these versions (its read model is eventually consistent).</summary>
    public static Task<ReportingV1.ListReportsResponse> ReportsAtAsync(this ReportingV1.Reporting.ReportingClient client, int year, long planVersion, long scoreVersion) =>
        Probe.UntilAsync(async () => await client.ListReportsAsync(new ReportingV1.ListReportsRequest { Year = year }),
            r => r.Reports.All(x => x.PlanVersion == planVersion && x.ScoreVersion == scoreVersion),
            $"Reporting to hold {year} at plan {planVersion}, scores {scoreVersion}", TimeSpan.FromSeconds(30));
}
