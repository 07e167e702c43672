using System.Globalization;
using System.Text.Json.Nodes;
using Grpc.Core;
using Json.Schema;
using MiniExcelLibs;
using PerfPlatform.TestSupport;
using Xunit;
using Xunit.Abstractions;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ReportingV1 = PerfPlatform.Reporting.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Reporting.Tests;

/// <summary>
/// The annex from a running Reporting, fed by the real Objectives and Scoring over RabbitMQ, each on its own
/// PostgreSQL database. Each test uses its own year.
/// </summary>
public sealed class ReportingTests(ReportingPlatform platform, ITestOutputHelper output) : IClassFixture<ReportingPlatform>
{
    private static readonly CultureInfo It = CultureInfo.GetCultureInfo("it-IT");

    [Fact]
    public async Task The_2023_annex_in_every_format_stays_current_and_a_late_Reporting_catches_up()
    {
        var imported = await platform.ObjectivesClient.ImportAsync(LecceDocuments.Relazione2023);
        var card = await Probe.UntilAsync(async () => await platform.ScoringClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 }),
            c => c.Version > 0 && c.EntityLevel.HasValue, "the imported year scored", TimeSpan.FromSeconds(30));
        var tree = await platform.ObjectivesClient.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = 2023 });
        Assert.Equal(imported.Version, tree.Version);
        var list = await platform.ReportingClient.ReportsAtAsync(2023, tree.Version, card.Version);
        Assert.Equal(6, list.Reports.Count);
        Assert.Equal("Città di Lecce", list.EntityName);
        var dir = Environment.GetEnvironmentVariable("PERF_REPORTING_TEST_OUTPUT") is { Length: > 0 } keep ? keep : Tools.TempDirectory();
        Directory.CreateDirectory(dir);
        output.WriteLine($"reports in {dir}");

        // Every report states the versions it reflects, on its stream and in its content.
        var versions = $"Versione del piano {tree.Version}, versione dei punteggi {card.Version}";
        var reports = new Dictionary<ReportingV1.ReportFormat, Report>();
        foreach (var info in list.Reports)
        {
            var report = await platform.ReportingClient.GetReportAsync(2023, info.Format);
            Assert.Equal((info.ContentType, info.FileName, tree.Version, card.Version), (report.ContentType, report.FileName, report.PlanVersion, report.ScoreVersion));
            await File.WriteAllBytesAsync(Path.Combine(dir, report.FileName), report.Content);
            reports[info.Format] = report;
        }

        // PDF: the figures and every area's name in its text; every page renders; "Pagina N di M" on each.
        var pdf = Path.Combine(dir, reports[ReportingV1.ReportFormat.Pdf].FileName);
        var text = Tools.PdfText(pdf);
        Assert.Contains("99,39", text);
        Assert.Contains("99,40", text);
        Assert.Contains("99,52", text);
        Assert.Contains("99,58", text);
        Assert.Contains(versions, text);
        foreach (var area in tree.Areas) Assert.Contains(Tools.Spaces().Replace(area.Name, " "), text);
        var pages = int.Parse(System.Text.RegularExpressions.Regex.Match(Tools.Run("pdfinfo", pdf), @"Pages:\s+(\d+)").Groups[1].Value);
        Assert.True(pages > 1, $"{pages} pages");
        for (var p = 1; p <= pages; p++) Assert.Contains($"Pagina {p} di {pages}", text);
        Tools.Run("pdftoppm", "-png", "-r", "40", pdf, Path.Combine(dir, "page"));
        Assert.Equal(pages, Directory.GetFiles(dir, "page-*.png").Length);
        Assert.All(Directory.GetFiles(dir, "page-*.png"), png => Assert.True(new FileInfo(png).Length > 1000, png));

        // XLSX: a summary sheet and one per area, figures stored as numbers.
        using (var xlsx = new MemoryStream(reports[ReportingV1.ReportFormat.Xlsx].Content))
        {
            Assert.Equal(["Riepilogo", .. tree.Areas.Select(a => $"Area {a.Number}")], MiniExcel.GetSheetNames(xlsx));
            var summary = xlsx.Query(useHeaderRow: true, sheetName: "Riepilogo").Cast<IDictionary<string, object?>>().ToList();
            var area1 = summary.First(r => Equals(r["Area"], 1d));
            // In the file itself: a number cell (no string type) with the number format 0.00.
            using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(reports[ReportingV1.ReportFormat.Xlsx].Content));
            using (var sheetXml = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()))
                Assert.Matches("<x:c r=\"C2\" s=\"\\d+\"><x:v>99.52</x:v>", await sheetXml.ReadToEndAsync());
            using (var styles = new StreamReader(zip.GetEntry("xl/styles.xml")!.Open()))
                Assert.Contains("formatCode=\"0.00\"", await styles.ReadToEndAsync());
            Assert.Equal((99.52, 99.58), ((double)area1["MEDIA dichiarata"]!, (double)area1["MEDIA calcolata"]!));
            var entity = summary.First(r => ((string)r["Voce"]!).StartsWith("Livello medio generale", StringComparison.Ordinal));
            Assert.Equal((99.39, 99.40), ((double)entity["MEDIA dichiarata"]!, (double)entity["MEDIA calcolata"]!));
            foreach (var area in card.Areas)
            {
                var sheet = xlsx.Query(useHeaderRow: true, sheetName: $"Area {area.Number}").Cast<IDictionary<string, object?>>().ToList();
                var media = sheet.Single(r => Equals(r["Obiettivo strategico"], "MEDIA"));
                if (area.Computed.HasValue) Assert.Equal(Math.Round(area.Computed.Value, 2), (double)media["% calcolata"]!);
                else Assert.Equal("/", media["% calcolata"]);
                Assert.Equal(area.StrategicObjectives.Count, sheet.Select(r => r["N."]).OfType<string>().Distinct().Count());
            }
        }

        // CSV: UTF-8 with BOM, semicolons and decimal commas; it parses back to the scorecard's figures.
        var csv = reports[ReportingV1.ReportFormat.Csv].Content;
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csv[..3]);
        AssertCsvMatches(card, SemicolonCsv.Parse(reports[ReportingV1.ReportFormat.Csv].Text[1..]));

        // JSON: valid against the committed schema; the metadata record names the licence and the modification time.
        var schema = JsonSchema.FromText(await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "reporting-open-data.schema.json")));
        var json = JsonNode.Parse(reports[ReportingV1.ReportFormat.Json].Content)!;
        using var document = System.Text.Json.JsonDocument.Parse(reports[ReportingV1.ReportFormat.Json].Content);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        Assert.Equal((99.39m, 99.40m), (json["livelloEnte"]!["dichiarata"]!.GetValue<decimal>(), json["livelloEnte"]!["calcolata"]!.GetValue<decimal>()));
        Assert.Equal(tree.Version, json["versionePiano"]!.GetValue<long>());
        var metadata = JsonNode.Parse(reports[ReportingV1.ReportFormat.Metadata].Content)!;
        Assert.Equal("https://creativecommons.org/licenses/by/4.0/", metadata["dct:license"]!["@id"]!.GetValue<string>());
        Assert.Equal("Città di Lecce", metadata["dct:publisher"]!["foaf:name"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(metadata["dct:modified"]!.GetValue<string>(), out _));

        // HTML: the chart, and the consistency section with every discrepancy's declared and computed figures.
        var html = reports[ReportingV1.ReportFormat.Html].Text;
        Assert.Contains("<svg", html);
        Assert.Contains(versions, html);
        // Read as a browser shows it: the HTML encodes every accented letter and apostrophe as a character reference.
        var consistency = System.Net.WebUtility.HtmlDecode(html[html.IndexOf("Coerenza tra valori dichiarati e calcolati", StringComparison.Ordinal)..]);
        Assert.Equal(["1", ""], card.Discrepancies.Select(d => d.Key));
        foreach (var d in card.Discrepancies)
        {
            Assert.Contains(d.Label, consistency);
            Assert.Contains($"Dichiarato {d.Declared.Value.ToString("0.00", It)}, calcolato {d.Computed.Value.ToString("0.00", It)}", consistency);
            // Scoring's structured causes, when it sends them, are worded in Italian beside the figures.
            foreach (var cause in d.Causes.Where(c => c.Cause == ScoringV1.DiscrepancyCause.ChildLeftOut))
                Assert.Contains($"è la media senza {(cause.ChildrenTaken == 1 && cause.ChildKeys.Count > 1 ? "uno tra " : "")}"
                    + $"{(cause.ChildKeys.Count == 1 ? "l'obiettivo strategico" : "gli obiettivi strategici")} {string.Join(", ", cause.ChildKeys)}", consistency);
        // Area 1's 99,52: one of its seven objectives at 100 left out (Scoring's structured cause, worded in Italian).
        Assert.Contains("è la media senza uno tra gli obiettivi strategici 1.1, 1.10", consistency);
        }

        // Behind the gateway, the same.
        var viaGateway = await new ReportingV1.Reporting.ReportingClient(platform.Gateway.Channel).ListReportsAsync(new ReportingV1.ListReportsRequest { Year = 2023 });
        Assert.Equal(list, viaGateway);

        // 1.13 to 100: the next report shows area 1 at 100,00 and the entity at 99,44, no restart.
        var entry = await platform.ObjectivesClient.SetAsync(2023, "1.13", 100);
        var after = await Probe.UntilAsync(async () => await platform.ScoringClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 }),
            c => c.Version > card.Version, "the change scored", TimeSpan.FromSeconds(30));
        await platform.ReportingClient.ReportsAtAsync(2023, entry.Version, after.Version);
        var changed = await platform.ReportingClient.GetReportAsync(2023, ReportingV1.ReportFormat.Csv);
        Assert.Equal((entry.Version, after.Version), (changed.PlanVersion, changed.ScoreVersion));
        AssertArea1AndEntity(SemicolonCsv.Parse(changed.Text[1..]), 100.00m, 99.44m);
        AssertCsvMatches(after, SemicolonCsv.Parse(changed.Text[1..]));
        var changedPdf = Path.Combine(dir, "after.pdf");
        await File.WriteAllBytesAsync(changedPdf, (await platform.ReportingClient.GetReportAsync(2023, ReportingV1.ReportFormat.Pdf)).Content);
        Assert.Contains("99,44", Tools.PdfText(changedPdf));

        // A Reporting started after the change, on an empty database, already has it.
        await platform.ReplaceReportingAsync();
        await platform.ReportingClient.ReportsAtAsync(2023, entry.Version, after.Version);
        var late = await platform.ReportingClient.GetReportAsync(2023, ReportingV1.ReportFormat.Csv);
        AssertArea1AndEntity(SemicolonCsv.Parse(late.Text[1..]), 100.00m, 99.44m);
        Assert.Equal(changed.Content, late.Content);
    }

    [Fact]
    public async Task A_Reporting_whose_consumers_missed_a_change_catches_up_by_itself_without_restart()
    {
        const int year = 2022;
        await platform.ObjectivesClient.ImportAsync(LecceDocuments.RelazioneFor(year));
        var card = await Probe.UntilAsync(async () => await platform.ScoringClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year }),
            c => c.Version > 0 && c.EntityLevel.HasValue, "the imported year scored", TimeSpan.FromSeconds(30));
        var tree = await platform.ObjectivesClient.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = year });
        await platform.ReportingClient.ReportsAtAsync(year, tree.Version, card.Version);
        var code = tree.Areas.SelectMany(a => a.StrategicObjectives).First(s => s.OperationalObjectives.Count == 0).Code;

        // Cut Reporting's two queues off their exchanges: the change's events never reach its consumers.
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(TestEnvironment.RabbitMqUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        string[] queues = ["reporting.plan-changed", "reporting.scores-recalculated"];
        foreach (var queue in queues) await channel.QueueUnbindAsync(queue, queue, routingKey: "");
        var pid = platform.Reporting.ProcessId;
        try
        {
            var entry = await platform.ObjectivesClient.SetAsync(year, code, 12.34);
            var after = await Probe.UntilAsync(async () => await platform.ScoringClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year }),
                c => c.Version > card.Version, "the change scored", TimeSpan.FromSeconds(30));
            foreach (var queue in queues)
                Assert.Equal(0u, await channel.MessageCountAsync(queue));
            // The reconciler (every 2 s here) sees the plan behind Objectives' and reads the year again over gRPC.
            await platform.ReportingClient.ReportsAtAsync(year, entry.Version, after.Version);
            var csv = await platform.ReportingClient.GetReportAsync(year, ReportingV1.ReportFormat.Csv);
            Assert.Equal((entry.Version, after.Version), (csv.PlanVersion, csv.ScoreVersion));
            var rows = SemicolonCsv.Parse(csv.Text[1..]);
            var row = rows.Single(r => r[0] == "obiettivo strategico" && r[Array.IndexOf(rows[0], "codice")] == code);
            Assert.Equal("12,34", row[Array.IndexOf(rows[0], "% calcolata")]);
            Assert.Equal(pid, platform.Reporting.ProcessId);
        }
        finally
        {
            foreach (var queue in queues) await channel.QueueBindAsync(queue, queue, routingKey: "");
        }
    }

    [Fact]
    public async Task An_unknown_year_is_NOT_FOUND_naming_it_and_an_unknown_format_INVALID_ARGUMENT()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            platform.ReportingClient.ListReportsAsync(new ReportingV1.ListReportsRequest { Year = 1999 }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("1999", missing.Status.Detail);
        var missingReport = await Assert.ThrowsAsync<RpcException>(() => platform.ReportingClient.GetReportAsync(1998, ReportingV1.ReportFormat.Pdf));
        Assert.Equal(StatusCode.NotFound, missingReport.StatusCode);
        Assert.Contains("1998", missingReport.Status.Detail);
        foreach (var format in new[] { ReportingV1.ReportFormat.Unspecified, (ReportingV1.ReportFormat)99 })
        {
            var bad = await Assert.ThrowsAsync<RpcException>(() => platform.ReportingClient.GetReportAsync(1999, format));
            Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
            Assert.Contains("format", bad.Status.Detail);
        }
    }

    [Fact]
    public async Task A_title_that_begins_like_a_formula_stays_text_in_the_CSV()
    {
        const int year = 2021;
        var imported = await platform.ObjectivesClient.ImportAsync(LecceDocuments.RelazioneFor(year));
        var created = await platform.ObjectivesClient.CreateOperationalObjectiveAsync(new ObjectivesV1.CreateOperationalObjectiveRequest
        {
            Year = year, StrategicObjectiveCode = imported.Tree.Areas[1].StrategicObjectives[0].Code, Title = "=HYPERLINK(\"http://x\";\"clic\")", Sectors = { "@Settore" },
        });
        var csv = await Probe.UntilAsync(() => platform.ReportingClient.GetReportAsync(year, ReportingV1.ReportFormat.Csv),
            r => r.Text.Contains("HYPERLINK"), "the new objective in the report", TimeSpan.FromSeconds(30));
        var row = SemicolonCsv.Parse(csv.Text[1..]).Single(r => r[0] == "obiettivo operativo" && r[5].Contains("HYPERLINK"));
        Assert.Equal("'=HYPERLINK(\"http://x\";\"clic\")", row[5]);
        Assert.Equal("'@Settore", row[10]);
        Assert.DoesNotContain(SemicolonCsv.Parse(csv.Text[1..]).Skip(1), r => r.Take(11).Any(c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@'));
        Assert.NotEqual(string.Empty, created.Id);
    }

    [Fact]
    public async Task A_late_older_event_changes_nothing()
    {
        const int year = 2019;
        var imported = await platform.ObjectivesClient.ImportAsync(LecceDocuments.RelazioneFor(year));
        var first = await platform.ObjectivesClient.SetAsync(year, "1.13", 50);
        var second = await platform.ObjectivesClient.SetAsync(year, "1.13", 100);
        var card = await Probe.UntilAsync(async () => await platform.ScoringClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year }),
            c => c.Areas.SelectMany(a => a.StrategicObjectives).Any(s => s.Code == "1.13" && s.Computed.HasValue && s.Computed.Value == 100), "the second change scored", TimeSpan.FromSeconds(30));
        await platform.ReportingClient.ReportsAtAsync(year, second.Version, card.Version);
        var held = await platform.ReportingClient.GetReportAsync(year, ReportingV1.ReportFormat.Csv);

        // The first change's events again, late, under new ids, published on the real exchanges as Objectives and Scoring do.
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(TestEnvironment.RabbitMqUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await Tools.PublishAsync(channel, "perf.plan-changed", "urn:message:PerfPlatform.IntegrationEvents:PlanChanged", new JsonObject
        {
            ["eventId"] = Guid.NewGuid(), ["year"] = year, ["planVersion"] = first.Version, ["reason"] = "realization-set",
            ["occurredAt"] = DateTimeOffset.UtcNow,
        });
        await Tools.PublishAsync(channel, "perf.scores-recalculated", "urn:message:PerfPlatform.IntegrationEvents:ScoresRecalculated", new JsonObject
        {
            ["eventId"] = Guid.NewGuid(), ["year"] = year, ["scoreVersion"] = 1, ["planVersion"] = first.Version,
            ["causationId"] = Guid.NewGuid(), ["calculatedAt"] = DateTimeOffset.UtcNow, ["changes"] = new JsonArray(),
        });
        // A real change after them: once Reporting holds it, the two before it on the same queues have been consumed.
        var third = await platform.ObjectivesClient.SetAsync(year, "2.2", 90);
        var latest = await Probe.UntilAsync(async () => await platform.ScoringClient.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year }),
            c => c.Version > card.Version, "the third change scored", TimeSpan.FromSeconds(30));
        await platform.ReportingClient.ReportsAtAsync(year, third.Version, latest.Version);
        var report = await platform.ReportingClient.GetReportAsync(year, ReportingV1.ReportFormat.Csv);
        AssertCsvMatches(latest, SemicolonCsv.Parse(report.Text[1..]));
        Assert.NotEqual(held.Content, report.Content);
    }

    private static void AssertCsvMatches(ScoringV1.Scorecard card, List<string[]> rows)
    {
        var header = rows[0];
        int Col(string name) => Array.IndexOf(header, name);
        foreach (var area in card.Areas)
        {
            var media = rows.Single(r => r[0] == "media area" && r[Col("area")] == area.Number.ToString(It));
            Assert.Equal(area.Computed.HasValue ? Math.Round((decimal)area.Computed.Value, 2) : null, Tools.Italian(media[Col("% calcolata")]));
            Assert.Equal(area.HasDeclared && area.Declared.HasValue ? Math.Round((decimal)area.Declared.Value, 2) : null, Tools.Italian(media[Col("% dichiarata")]));
            foreach (var s in area.StrategicObjectives)
            {
                var row = rows.Single(r => r[0] == "obiettivo strategico" && r[Col("codice")] == s.Code);
                Assert.Equal(s.Computed.HasValue ? Math.Round((decimal)s.Computed.Value, 2) : null, Tools.Italian(row[Col("% calcolata")]));
            }
        }
        var entity = rows.Single(r => r[0] == "ente");
        Assert.Equal(Math.Round((decimal)card.EntityLevel.Value, 2), Tools.Italian(entity[Col("% calcolata")]));
        Assert.Equal(card.Version, long.Parse(entity[Col("versione punteggi")], It));
    }

    private static void AssertArea1AndEntity(List<string[]> rows, decimal area1, decimal entity)
    {
        var calc = Array.IndexOf(rows[0], "% calcolata");
        Assert.Equal(area1, Tools.Italian(rows.Single(r => r[0] == "media area" && r[1] == "1")[calc]));
        Assert.Equal(area1.ToString("0.00", It), rows.Single(r => r[0] == "media area" && r[1] == "1")[calc]);
        Assert.Equal(entity.ToString("0.00", It), rows.Single(r => r[0] == "ente")[calc]);
    }
}
