using System.Diagnostics;
using PerfPlatform.Scoring.Domain;

namespace PerfPlatform.Bench;

/// <summary>
/// The Scoring read model alone, in memory: a synthetic year of 10 areas x 100 strategic objectives x 100
/// operational objectives (100,000), then single-branch changes (one operational value changed, the branch
/// re-sent with a higher version), each <see cref="YearScorecard.Apply"/> timed on its own.
/// </summary>
public static class RecomputeBench
{
    private const int Areas = 10, StrategicPerArea = 100, OperationalPerStrategic = 100;
    private static readonly string[] Dimensions = ["Istituzionale", "Sociale", "Economico", "Ambientale"];

    public static RecomputeResult Run(BenchOptions options, CancellationToken ct)
    {
        var objectives = Areas * StrategicPerArea * OperationalPerStrategic;
        Console.WriteLine($"\n== recompute: YearScorecard.Apply on {Areas} areas x {StrategicPerArea} strategic x {OperationalPerStrategic} operational " +
                          $"= {objectives:N0} objectives; {options.RecomputeCount:N0} single-branch changes after {options.RecomputeWarmup:N0} warm-up ==");
        var random = new Random(20231231);
        var sectors = Enumerable.Range(1, 25).Select(i => $"Settore {i}").ToArray();

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var loadWatch = Stopwatch.StartNew();
        var card = new YearScorecard(2023);
        var branches = new StrategicObjectiveBranch[Areas * StrategicPerArea];
        for (var a = 1; a <= Areas; a++)
        {
            card.SetArea(new AreaInfo(a, $"Area strategica {a}", null));
            for (var s = 1; s <= StrategicPerArea; s++)
            {
                var code = $"{a}.{s}";
                var operational = new OperationalObjectiveInput[OperationalPerStrategic];
                for (var k = 0; k < OperationalPerStrategic; k++)
                {
                    operational[k] = new OperationalObjectiveInput(
                        Guid.NewGuid(),
                        $"Benessere {Dimensions[k % 4]}: obiettivo operativo {code}.{k + 1} del piano sintetico",
                        1m + k % 3,
                        random.Next(20) == 0 ? null : Math.Round(50m + (decimal)random.Next(0, 5001) / 100m, 2),
                        [Dimensions[k % 4]],
                        [sectors[random.Next(sectors.Length)]]);
                }
                branches[(a - 1) * StrategicPerArea + (s - 1)] =
                    new StrategicObjectiveBranch(code, a, $"Obiettivo strategico {code}", null, null, operational, Version: 1);
            }
        }
        var built = loadWatch.Elapsed;
        var loaded = card.Apply(branches, [], version: 1);
        loadWatch.Stop();
        var applyLoad = loadWatch.Elapsed - built;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var planBytes = after - before;
        Console.WriteLine($"built the inputs in {built.TotalMilliseconds:F0} ms, loaded them with one Apply in {applyLoad.TotalMilliseconds:F0} ms " +
                          $"({loaded.Changes.Count} score changes); entity level {card.EntityLevel}");

        var total = options.RecomputeWarmup + options.RecomputeCount;
        var samples = new double[options.RecomputeCount];
        var unchanged = 0;
        long version = 1;
        var upsert = new StrategicObjectiveBranch[1];
        for (var i = 0; i < total; i++)
        {
            if ((i & 1023) == 0) ct.ThrowIfCancellationRequested();
            // The event: one branch with one operational value changed, built outside the timed call.
            var index = random.Next(branches.Length);
            var branch = branches[index];
            var k = random.Next(OperationalPerStrategic);
            var ops = branch.OperationalObjectives.ToArray();
            ops[k] = ops[k] with { Value = ops[k].Value >= 50m ? 0m : 100m };
            branch = branch with { OperationalObjectives = ops, Version = ++version };
            branches[index] = branch;
            upsert[0] = branch;

            var start = Stopwatch.GetTimestamp();
            var recalculation = card.Apply(upsert, [], version);
            var elapsed = Stopwatch.GetTimestamp() - start;

            if (!recalculation.HasChanges) unchanged++;
            if (i >= options.RecomputeWarmup) samples[i - options.RecomputeWarmup] = Time.Us(elapsed);
        }
        GC.KeepAlive(card);

        var summary = Summary.Of(samples);
        var pass = summary.P99 < 1000;
        var t = new Table("YearScorecard.Apply, one branch (us)", "p50", "p90", "p99", "max", "mean", "count");
        t.Row($"{objectives:N0} operational objectives", summary.P50, summary.P90, summary.P99, summary.Max, summary.Mean, summary.Count);
        t.Print("recompute results");
        var m = new Table("loaded plan", "value");
        m.Row("GC.GetTotalMemory after - before load (MB)", Time.F(planBytes / 1024.0 / 1024.0, 1));
        m.Row("bytes per operational objective", Time.F((double)planBytes / objectives, 0));
        m.Row("load: one Apply of the 1,000 branches (ms)", Time.F(applyLoad.TotalMilliseconds, 1));
        m.Row("changes that moved no score", unchanged);
        m.Print("memory");
        Console.WriteLine($"recompute: p99 {summary.P99:F1} us vs target < 1000 us (1 ms): {(pass ? "PASS" : "FAIL")}");
        return new RecomputeResult(objectives, summary.Count, summary, applyLoad.TotalMilliseconds, planBytes, pass);
    }
}
