using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using Npgsql;
using PerfPlatform.Reporting.Domain;
using PerfPlatform.Reporting.Rendering;
using PerfPlatform.TestSupport;

namespace PerfPlatform.Bench;

/// <summary>
/// Every report format for two annexes: the 2023 plan as the real services hold it (the embedded host run as a
/// process, seeded with the Lecce document; Reporting's read model read from its PostgreSQL database) and a synthetic
/// plan of 10,000 operational objectives. Each format and plan is rendered in a fresh child process of its own (this
/// bench re-invoked as <c>reports-render</c>), run with the GC settings of the Reporting host (read from
/// services/Reporting/Reporting.Host/Reporting.Host.csproj), so one format's leftovers never count against the next.
/// Per format: the median of several warm runs, the process's CPU per render, the bytes allocated per run, and the
/// child's peak resident memory over its whole life (VmHWM: runtime, annex, the cold first render and the warm ones),
/// with its resident memory before the first render beside it.
/// </summary>
public static class ReportsBench
{
    public const string ChildCommand = "reports-render";
    private const string ResultPrefix = "RESULT ";

    public static async Task RunAsync(BenchOptions options, CancellationToken ct)
    {
        var lecce = await Lecce2023Async(options, ct);
        var annexFile = Path.Combine(Path.GetTempPath(), $"perf-bench-annex-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(annexFile, JsonSerializer.Serialize(new AnnexFile(lecce.Plan, lecce.Scores, lecce.GeneratedAt)), ct);
        var gc = HostGcSettings();
        try
        {
            Console.WriteLine($"reports: each format in a child process of its own, with the Reporting host's GC settings ({Describe(gc)})");
            Console.WriteLine("  format, plan: median wall ms (min-max, n), median CPU ms of the process per render (min-max), allocated MB/run, " +
                              "peak RSS MB of the child (RSS before the first render), size KB, machine busy/stolen CPU s over the runs");
            var verdicts = new List<string>();
            foreach (var (name, source, runs, target) in new[] { ("2023", annexFile, 9, 200.0), ("10000", "synthetic:10000", 5, 2000.0) })
            {
                foreach (var format in ReportKinds.All)
                {
                    ct.ThrowIfCancellationRequested();
                    var r = await RunChildAsync(source, format, runs, gc, ct);
                    if (name == "2023" && format == ReportKinds.All[0]) Console.WriteLine($"  {name}: {r.Operational} operational objectives");
                    if (name == "10000" && format == ReportKinds.All[0]) Console.WriteLine($"  {name}: {r.Operational} operational objectives");
                    var median = r.WallMs[r.WallMs.Length / 2];
                    var timeOk = median <= target;
                    var memOk = r.PeakMb <= 200;
                    if (!timeOk) verdicts.Add($"{format} {name}: median {median:0.0} ms over {target:0} ms");
                    if (!memOk) verdicts.Add($"{format} {name}: peak {r.PeakMb:0} MB over 200 MB");
                    Console.WriteLine($"    {format,-9} {name,6}: {median,8:0.0} ms ({r.WallMs[0]:0.0}-{r.WallMs[^1]:0.0}, n={runs})  " +
                                      $"CPU {r.CpuMs[r.CpuMs.Length / 2],7:0.0} ms ({r.CpuMs[0]:0.0}-{r.CpuMs[^1]:0.0})  " +
                                      $"{r.AllocatedMb,7:0.0} MB/run  peak {r.PeakMb,4:0} MB (before {r.BaselineMb:0})  {r.SizeKb,8:0} KB  " +
                                      $"machine busy {r.MachineBusyS:0.0} s stolen {r.MachineStolenS:0.00} s  " +
                                      $"{(timeOk ? "within" : "OVER")} {target:0} ms, {(memOk ? "within" : "OVER")} 200 MB");
                }
            }
            Console.WriteLine(verdicts.Count == 0
                ? "  reports: every format within every target (2023 < 200 ms, 10,000 < 2 s, peak < 200 MB)"
                : $"  reports: OVER target: {string.Join("; ", verdicts)}");
        }
        finally
        {
            File.Delete(annexFile);
        }
    }

    /// <summary>The annex as the child reads it (the records round-trip through System.Text.Json, as Reporting stores them).</summary>
    private sealed record AnnexFile(AnnexPlan Plan, AnnexScores Scores, DateTimeOffset GeneratedAt);

    private sealed record ChildResult(
        int Operational, double[] WallMs, double[] CpuMs, double AllocatedMb, double PeakMb, double BaselineMb, double SizeKb,
        double MachineBusyS, double MachineStolenS, bool ServerGc, bool ConcurrentGc);

    /// <summary>
    /// The GC settings the Reporting host runs with, from its project file: the Web SDK's defaults (server GC, concurrent)
    /// unless the project sets them, and any System.GC.* runtime option it adds. Passed to the child as DOTNET_* variables.
    /// </summary>
    private static Dictionary<string, string> HostGcSettings()
    {
        var project = Path.Combine(TestEnvironment.RepositoryRoot, "services", "Reporting", "Reporting.Host", "Reporting.Host.csproj");
        var xml = System.Xml.Linq.XDocument.Load(project);
        string? Property(string name) => xml.Descendants(name).LastOrDefault()?.Value.Trim();
        static string Flag(string? value, bool sdkDefault) => (value is null ? sdkDefault : bool.Parse(value)) ? "1" : "0";
        var env = new Dictionary<string, string>
        {
            ["DOTNET_gcServer"] = Flag(Property("ServerGarbageCollection"), sdkDefault: true),
            ["DOTNET_gcConcurrent"] = Flag(Property("ConcurrentGarbageCollection"), sdkDefault: true),
        };
        foreach (var option in xml.Descendants("RuntimeHostConfigurationOption"))
        {
            var name = (string?)option.Attribute("Include") ?? "";
            var value = (string?)option.Attribute("Value") ?? "";
            switch (name)
            {
                case "System.GC.ConserveMemory": env["DOTNET_GCConserveMemory"] = value; break;
                case "System.GC.RetainVM": env["DOTNET_GCRetainVM"] = bool.Parse(value) ? "1" : "0"; break;
                case "System.GC.DynamicAdaptationMode": env["DOTNET_GCDynamicAdaptationMode"] = value; break;
                case var other when other.StartsWith("System.GC.", StringComparison.Ordinal):
                    throw new BenchException($"Reporting.Host sets {other}: teach ReportsBench.HostGcSettings to pass it to the child");
            }
        }
        return env;
    }

    private static string Describe(Dictionary<string, string> gc) =>
        (gc["DOTNET_gcServer"] == "1" ? "server GC" : "workstation GC") + (gc["DOTNET_gcConcurrent"] == "1" ? ", concurrent" : ", not concurrent") +
        string.Concat(gc.Where(kv => kv.Key is not ("DOTNET_gcServer" or "DOTNET_gcConcurrent")).Select(kv => $", {kv.Key}={kv.Value}"));

    private static async Task<ChildResult> RunChildAsync(string source, ReportFormat format, int runs, Dictionary<string, string> gc, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(ReportsBench).Assembly.Location);
        foreach (var a in new[] { ChildCommand, source, format.ToString(), runs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        foreach (var (k, v) in gc) start.Environment[k] = v;
        using var child = Process.Start(start) ?? throw new BenchException("could not start the render child");
        var stdout = child.StandardOutput.ReadToEndAsync(ct);
        var stderr = child.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        try { await child.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            child.Kill();
            throw new BenchException($"the render child for {format} {source} did not finish within 120 s");
        }
        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
            throw new BenchException($"the render child for {format} {source} failed (exit {child.ExitCode}): {output}{await stderr}");
        var result = JsonSerializer.Deserialize<ChildResult>(line[ResultPrefix.Length..])!;
        if ((result.ServerGc ? "1" : "0") != gc["DOTNET_gcServer"] || (result.ConcurrentGc ? "1" : "0") != gc["DOTNET_gcConcurrent"])
            throw new BenchException($"the render child ran with server GC {result.ServerGc}, concurrent {result.ConcurrentGc}: not the host's settings");
        return result;
    }

    /// <summary>
    /// The child: <c>reports-render SOURCE FORMAT RUNS</c>, SOURCE an annex file or <c>synthetic:N</c>. Loads the annex,
    /// renders once cold, then RUNS times warm; prints one RESULT line. Its peak is the whole process's life.
    /// </summary>
    public static int Child(string[] args)
    {
        if (args.Length != 3 || !Enum.TryParse<ReportFormat>(args[1], out var format) || !int.TryParse(args[2], out var runs) || runs < 1)
        {
            Console.Error.WriteLine($"usage: {ChildCommand} ANNEX_FILE|synthetic:N FORMAT RUNS");
            return 2;
        }
        Annex annex;
        if (args[0].StartsWith("synthetic:", StringComparison.Ordinal)) annex = Synthetic(int.Parse(args[0]["synthetic:".Length..]));
        else
        {
            var file = JsonSerializer.Deserialize<AnnexFile>(File.ReadAllText(args[0]))!;
            annex = new Annex(file.Plan, file.Scores, file.GeneratedAt);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = Status("VmRSS:");
        ReportRenderer.Render(annex, format); // cold: JIT, fonts; it counts in the peak, as in a service's first request
        var times = new List<double>();
        var cpu = new List<double>();
        long allocated = 0, size = 0;
        var machineBefore = CpuAccounting.Machine();
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            self.Refresh();
            var cpuBefore = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            size = ReportRenderer.Render(annex, format).Length;
            times.Add(watch.Elapsed.TotalMilliseconds);
            self.Refresh();
            // The whole process's CPU (GC threads included): on a shared machine this, not wall time, is what a render costs.
            cpu.Add((self.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        var machineAfter = CpuAccounting.Machine();
        times.Sort();
        cpu.Sort();
        var result = new ChildResult(
            annex.Plan.Areas.Sum(a => a.StrategicObjectives.Sum(s => s.OperationalObjectives.Count)), [.. times], [.. cpu], allocated / (double)runs / 1e6,
            Status("VmHWM:"), baseline, size / 1024.0, machineAfter.Busy - machineBefore.Busy, machineAfter.Steal - machineBefore.Steal,
            System.Runtime.GCSettings.IsServerGC, System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.Batch);
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>A line of /proc/self/status in MB (VmRSS: now, VmHWM: the peak since the process started).</summary>
    private static double Status(string key)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    /// <summary>The 2023 annex exactly as Reporting holds it, once the embedded host has seeded and scored the year.</summary>
    private static async Task<Annex> Lecce2023Async(BenchOptions options, CancellationToken ct)
    {
        var dbName = $"bench_reporting_{Guid.NewGuid():N}"[..30];
        await using (var admin = new NpgsqlConnection(options.Postgres))
        {
            await admin.OpenAsync(ct);
            await new NpgsqlCommand($"CREATE DATABASE \"{dbName}\"", admin).ExecuteNonQueryAsync(ct);
        }
        var reportingDb = new NpgsqlConnectionStringBuilder(options.Postgres) { Database = dbName, Pooling = false }.ConnectionString;
        var data = Directory.CreateTempSubdirectory("perf-bench-reports-");
        try
        {
            await using var host = await HostProcess.StartAsync("embedded/Embedded.Host", new Dictionary<string, string>
            {
                ["DataDirectory"] = data.FullName,
                ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
                ["Objectives__SeedDocument"] = TestEnvironment.LecceRelazione2023,
                ["ConnectionStrings__ReportingDb"] = reportingDb,
                ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}",
            });
            var client = new Reporting.V1.Reporting.ReportingClient(host.Channel);
            await Probe.UntilAsync(async () =>
            {
                try { return await client.ListReportsAsync(new Reporting.V1.ListReportsRequest { Year = 2023 }, cancellationToken: ct); }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound) { return null; }
            }, r => r is not null && r.Reports.All(x => x.ScoreVersion > 0), "the embedded host to report 2023", TimeSpan.FromSeconds(60));
            await using var conn = new NpgsqlConnection(reportingDb);
            await conn.OpenAsync(ct);
            await using var read = new NpgsqlCommand("SELECT \"PlanJson\", \"ScoresJson\", \"UpdatedAt\" FROM report_years WHERE \"Year\" = 2023", conn);
            await using var row = await read.ExecuteReaderAsync(ct);
            if (!await row.ReadAsync(ct)) throw new BenchException("Reporting holds no 2023 row");
            return new Annex(JsonSerializer.Deserialize<AnnexPlan>(row.GetString(0))!, JsonSerializer.Deserialize<AnnexScores>(row.GetString(1))!,
                row.GetFieldValue<DateTimeOffset>(2));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(options.Postgres);
            await admin.OpenAsync(CancellationToken.None);
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{dbName}\" WITH (FORCE)", admin).ExecuteNonQueryAsync(CancellationToken.None);
            data.Delete(recursive: true);
        }
    }

    /// <summary>10 areas of 20 strategic objectives; the operational objectives spread evenly, with labels and values.</summary>
    public static Annex Synthetic(int operational)
    {
        var random = new Random(14);
        string[] bes = ["Istituzionale", "Sociale", "Economico", "Ambientale"];
        var perStrategic = operational / 200;
        var areas = new List<AnnexArea>();
        var areaScores = new List<AreaScores>();
        for (var a = 1; a <= 10; a++)
        {
            var strategic = new List<AnnexStrategicObjective>();
            var scores = new List<StrategicScore>();
            for (var s = 1; s <= 20; s++)
            {
                var ops = Enumerable.Range(1, perStrategic).Select(o => new AnnexOperationalObjective(
                    $"{a}.{s}.{o}", $"Benessere {bes[o % 4]}: obiettivo operativo sintetico {a}.{s}.{o} per la qualità dei servizi, la semplificazione e l'efficienza",
                    [bes[o % 4]], o % 7 == 0, o % 11 == 0 ? "obiettivo intersettoriale con Settore Lavori Pubblici" : "",
                    o % 13 == 0 ? ["PNRR M1C1"] : [], [$"Settore {o % 12 + 1}"], 1, Figure.Of(Math.Round(80 + (decimal)random.NextDouble() * 20, 2)))).ToList();
                var mean = Math.Round(ops.Average(o => o.Realization.Value!.Value), 2);
                strategic.Add(new AnnexStrategicObjective($"{a}.{s}", $"Obiettivo strategico sintetico {a}.{s}", Figure.None, Figure.Of(mean), ops));
                scores.Add(new StrategicScore($"{a}.{s}", mean, mean));
            }
            var areaMean = Math.Round(scores.Average(x => x.Computed!.Value), 2);
            areas.Add(new AnnexArea(a, $"Area sintetica {a}", a == 9 ? "obiettivi in parte raggiunti negli anni precedenti." : "", Figure.Of(areaMean), strategic));
            areaScores.Add(new AreaScores(a, areaMean, areaMean, scores));
        }
        var entity = Math.Round(areaScores.Average(x => x.Computed!.Value), 2);
        var plan = new AnnexPlan("Città di Lecce", 2019, 2024, 2099, 1, Figure.Of(entity), areas);
        var breakdown = bes.Select(b => new BreakdownItem(b, operational / 4, operational / 4, entity)).ToList();
        var scoresAll = new AnnexScores(1, entity, entity, areaScores, [], breakdown,
            Enumerable.Range(1, 12).Select(i => new BreakdownItem($"Settore {i}", operational / 12, operational / 12, entity)).ToList());
        return new Annex(plan, scoresAll, DateTimeOffset.UtcNow);
    }
}
