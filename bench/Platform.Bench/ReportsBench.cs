using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using Npgsql;
using PerfPlatform.Reporting.Domain;
using PerfPlatform.Reporting.Rendering;
using PerfPlatform.TestSupport;

namespace PerfPlatform.Bench;

/// <summary>
/// Every report format, rendered in this process, for two annexes: the 2023 plan as the real services hold it (the
/// embedded host run as a process, seeded with the Lecce document; Reporting's read model read from its PostgreSQL
/// database) and a synthetic plan of 10,000 operational objectives. Per format: the median of several warm runs,
/// the bytes allocated per run and the process's peak resident memory while rendering (VmHWM, reset before each
/// format through /proc/self/clear_refs).
/// </summary>
public static class ReportsBench
{
    public static async Task RunAsync(BenchOptions options, CancellationToken ct)
    {
        var lecce = await Lecce2023Async(options, ct);
        var synthetic = Synthetic(10_000);
        Console.WriteLine("reports: format, plan: median wall ms (min-max, n), median CPU ms of the process (min-max), allocated MB/run, peak RSS MB, size KB, machine busy/stolen CPU s over the runs");
        foreach (var (name, annex, runs, target) in new[] { ("2023", lecce, 9, 200.0), ("10000", synthetic, 5, 2000.0) })
        {
            Console.WriteLine($"  {name}: {annex.Plan.Areas.Sum(a => a.StrategicObjectives.Sum(s => s.OperationalObjectives.Count))} operational objectives");
            foreach (var format in ReportKinds.All)
            {
                ct.ThrowIfCancellationRequested();
                ReportRenderer.Render(annex, format); // warm: JIT, fonts
                GC.Collect();
                GC.WaitForPendingFinalizers();
                ResetPeak();
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
                var machine = (Busy: machineAfter.Busy - machineBefore.Busy, Stolen: machineAfter.Steal - machineBefore.Steal);
                times.Sort();
                cpu.Sort();
                var median = times[times.Count / 2];
                Console.WriteLine($"    {format,-9} {name,6}: {median,8:0.0} ms ({times[0]:0.0}-{times[^1]:0.0}, n={runs})  " +
                                  $"CPU {cpu[cpu.Count / 2],7:0.0} ms ({cpu[0]:0.0}-{cpu[^1]:0.0})  " +
                                  $"{allocated / runs / 1e6,7:0.0} MB/run  peak {PeakMb(),6:0} MB  {size / 1024.0,8:0} KB  " +
                                  $"machine busy {machine.Busy:0.0} s stolen {machine.Stolen:0.00} s  " +
                                  $"{(median <= target ? "within" : "OVER")} {target:0} ms");
            }
        }
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

    private static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static double PeakMb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}
