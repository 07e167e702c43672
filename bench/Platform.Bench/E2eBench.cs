using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Npgsql;
using PerfPlatform.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Bench;

/// <summary>
/// End to end across the real deployment shape: Objectives.Host and Scoring.Host as separate OS processes from
/// their build output, each with its own database, talking over RabbitMQ. For every SetRealization made on an
/// open-loop schedule, the time from just before the gRPC call to the Recalculation carrying that plan_version
/// arriving on Scoring's WatchRecalculations stream.
/// </summary>
public static class E2eBench
{
    private const int Year = 2023;
    // Areas 1-8 and 10 (area 9, Commercio, is not assessed in the 2023 annex): 49 of the plan's 55 strategic objectives.
    private static readonly int[] Areas = [1, 2, 3, 4, 5, 6, 7, 8, 10];
    private const string ScoringQueue = "scoring.plan-changed";
    /// <summary>The idle phase and the reads after it each stop after this long, however slow the service is by then.</summary>
    private static readonly TimeSpan IdleBudget = TimeSpan.FromSeconds(30);
    private const double LeadInSeconds = 3;

    public static async Task<E2eResult> RunAsync(BenchOptions options, BareResult bare, CancellationToken ct)
    {
        var database = options.Sqlite ? "SQLite" : "PostgreSQL";
        Console.WriteLine($"\n== e2e: SetRealization -> Recalculation, hosts as OS processes, {database}, RabbitMQ {BareBench.Redact(options.RabbitMq)}, " +
                          $"{options.Rate:0.#}/s for {options.Seconds} s after {options.WarmupSeconds} s warm-up ==");
        await CheckBrokerAsync(options, ct);

        var runId = $"{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000, 10000)}";
        await using var databases = options.Sqlite
            ? await Databases.SqliteAsync(runId, options.KeepDatabases)
            : await Databases.PostgresAsync(options.Postgres, runId, options.KeepDatabases, ct);
        Console.WriteLine($"databases: {databases.Describe}");

        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__RabbitMq"] = options.RabbitMq,
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
        };
        var startWatch = Stopwatch.StartNew();
        var objectivesPort = TestEnvironment.FreeTcpPort(); // known before it starts: Scoring reconciles against it
        var objectivesStart = HostProcess.StartAsync("services/Objectives/Objectives.Host",
            new Dictionary<string, string>(common) { ["ConnectionStrings__ObjectivesDb"] = databases.Objectives }, objectivesPort);
        var scoringStart = HostProcess.StartAsync("services/Scoring/Scoring.Host",
            new Dictionary<string, string>(common)
            {
                ["ConnectionStrings__ScoringDb"] = databases.Scoring, ["Services__Objectives"] = $"http://127.0.0.1:{objectivesPort}",
            });
        HostProcess? objectivesHost = null, scoringHost = null;
        try
        {
            try
            {
                objectivesHost = await objectivesStart;
            }
            finally
            {
                // Never leave the other process behind when one fails to start.
                try { scoringHost = await scoringStart; }
                catch when (objectivesHost is null) { }
            }
            if (objectivesHost is null || scoringHost is null) throw new BenchException("a host did not start");
            Console.WriteLine($"hosts serving after {startWatch.Elapsed.TotalSeconds:F1} s (Objectives on :{objectivesHost.GrpcPort}, Scoring on :{scoringHost.GrpcPort})");
            var result = await MeasureAsync(options, bare, database, objectivesHost, scoringHost, ct);
            SummariseLog("Objectives.Host", objectivesHost);
            SummariseLog("Scoring.Host", scoringHost);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not BenchException)
        {
            throw new BenchException($"e2e failed: {ex.Message}", ex);
        }
        catch (BenchException)
        {
            PrintTail("Objectives.Host", objectivesHost);
            PrintTail("Scoring.Host", scoringHost);
            throw;
        }
        finally
        {
            if (objectivesHost is not null) await objectivesHost.DisposeAsync();
            if (scoringHost is not null) await scoringHost.DisposeAsync();
        }
    }

    private static async Task<E2eResult> MeasureAsync(BenchOptions options, BareResult bare, string database,
        HostProcess objectivesHost, HostProcess scoringHost, CancellationToken ct)
    {
        var objectives = new ObjectivesV1.Objectives.ObjectivesClient(objectivesHost.Channel);
        var scoring = new ScoringV1.Scoring.ScoringClient(scoringHost.Channel);

        // The stream first: every recalculation of the year, stamped on arrival.
        using var streamCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var arrivals = new ConcurrentDictionary<long, long>();
        // Per plan version: ms from Scoring's calculated_at (taken as its batch starts) to the arrival here, on the wall
        // clock both processes share. It splits "response -> Recalculation" into before Scoring's batch and after.
        var sinceCalculated = new ConcurrentDictionary<long, double>();
        using var watch = scoring.WatchRecalculations(new ScoringV1.WatchRecalculationsRequest { Year = Year }, cancellationToken: streamCancel.Token);
        await watch.ResponseHeadersAsync.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var streamError = (Exception?)null;
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var r in watch.ResponseStream.ReadAllAsync(streamCancel.Token))
                {
                    arrivals.TryAdd(r.PlanVersion, Stopwatch.GetTimestamp());
                    sinceCalculated.TryAdd(r.PlanVersion, (DateTime.UtcNow - r.CalculatedAt.ToDateTime()).TotalMilliseconds);
                }
            }
            catch (Exception ex) when (streamCancel.IsCancellationRequested)
            {
                _ = ex;
            }
            catch (Exception ex)
            {
                streamError = ex;
            }
        }, CancellationToken.None);

        try
        {
            var generator = new ChangeGenerator(await ImportAsync(objectives, arrivals, ct));
            await using var jit = new JitMonitor(objectivesHost.ProcessId, scoringHost.ProcessId);

            // Warm-up (JIT, connection pools, caches), then let it drain.
            var warmupCount = (int)Math.Round(options.Rate * options.WarmupSeconds);
            if (warmupCount > 0)
            {
                var warm = await OpenLoopAsync(objectives, generator, warmupCount, options.Rate, ct);
                await DrainAsync(warm, arrivals, options.LostAfter, ct);
                var w = Analyse(warm, arrivals, sinceCalculated, options.LostAfter);
                Console.WriteLine($"warm-up: {warmupCount} changes, e2e p50 {w.EndToEnd.P50:F2} ms p99 {w.EndToEnd.P99:F2} ms, lost {w.Lost}" +
                                  (w.Lost > 0 ? $" ({w.Late} arrived later, {w.Lost - w.Late} never{Superseded(w)})" : "") + $", failed {w.Failed}");
                await WarmUntilJitSettlesAsync(objectives, generator, options, jit, arrivals, ct);
            }

            await SettleAsync(arrivals, ct);
            generator = new ChangeGenerator(await CurrentValuesAsync(objectives, ct));
            var count = Math.Max(1, (int)Math.Round(options.Rate * options.Seconds));
            // The measured phase follows a lead-in at the same rate on the same schedule, so it is the steady state the
            // target is about, not the ramp from the pause just above (settling, reading the values back): its first
            // seconds held 14-126 of a run's slow changes (docs/benchmarks.md, session 11). The lead-in's figures are printed.
            var leadIn = (int)Math.Round(options.Rate * LeadInSeconds);
            Console.WriteLine($"measuring: {count} changes at {options.Rate:0.#}/s over {generator.Count} strategic objectives, " +
                              $"after {leadIn} not counted ({LeadInSeconds:0} s) on the same schedule ...");
            var cpu = CpuAccounting.Available
                ? new CpuAccounting(objectivesHost.ProcessId, scoringHost.ProcessId, new Uri(options.RabbitMq).Port,
                    options.Sqlite ? 0 : new NpgsqlConnectionStringBuilder(options.Postgres).Port)
                : null;
            var jitBefore = jit.Seconds;
            cpu?.Start();
            var scheduled = await OpenLoopAsync(objectives, generator, leadIn + count, options.Rate, ct);
            await DrainAsync(scheduled, arrivals, options.LostAfter, ct);
            var cpuUsed = cpu?.Stop(leadIn + count);
            var lead = Analyse(scheduled[..leadIn], arrivals, sinceCalculated, options.LostAfter);
            Console.WriteLine($"lead-in: {leadIn} changes, e2e p50 {lead.EndToEnd.P50:F2} ms p99 {lead.EndToEnd.P99:F2} ms, lost {lead.Lost}, failed {lead.Failed}");
            var calls = scheduled[leadIn..];
            var jitUsed = jit.Seconds - jitBefore;
            var machine = cpu?.MachineSince();
            var load = Analyse(calls, arrivals, sinceCalculated, options.LostAfter);
            if (options.SamplesFile is { } file) WriteSamples(file, calls, arrivals, sinceCalculated);
            if (cpuUsed is not null) PrintCpu(cpuUsed, leadIn + count);
            if (cpuUsed is not null)
                Console.WriteLine($"of which the two hosts' JIT background threads (tiered recompiles): {jitUsed:F2} CPU s, {jitUsed * 1000 / (leadIn + count):F3} ms/change");
            if (machine is { } m)
                Console.WriteLine($"the machine over the same phase: {m.Busy:F1} CPU s busy, {m.Idle:F1} idle, {m.Steal:F1} stolen by the hypervisor");

            Analysis? idle = null;
            Summary? readYear = null;
            if (options.IdleCount > 0)
            {
                await SettleAsync(arrivals, ct);
                generator = new ChangeGenerator(await CurrentValuesAsync(objectives, ct));
                Console.WriteLine($"idle: {options.IdleCount} changes one at a time, 20 ms apart ...");
                var idleCalls = await OneAtATimeAsync(objectives, generator, options.IdleCount, arrivals, options.LostAfter, ct);
                idle = Analyse(idleCalls, arrivals, sinceCalculated, options.LostAfter);
                // For comparison: loading the whole year, which every SetRealization does (with change tracking) before it writes.
                var reads = new List<double>();
                var readPhase = Stopwatch.StartNew();
                for (var i = 0; i < options.IdleCount && readPhase.Elapsed < IdleBudget; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = Year }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
                    reads.Add(Time.Ms(Stopwatch.GetTimestamp() - start));
                }
                readYear = Summary.Of(reads);
            }
            if (streamError is not null) Console.WriteLine($"WARNING: the WatchRecalculations stream failed: {streamError.Message}");

            return Report(options, bare, database, load, lead, idle, readYear);
        }
        finally
        {
            await streamCancel.CancelAsync();
            await reader.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The measured phase is the steady state: after the fixed warm-up, the load goes on in 5-s steps while the hosts' JIT
    /// is still recompiling hot code (their tiered-compilation threads together above 5 % of a core), at most
    /// <see cref="MaxExtraWarmup"/> more. On a busy machine the JIT gets fewer cycles and takes longer to finish; what it
    /// still spends in the measured phase is printed beside the CPU per change.
    /// </summary>
    private static async Task WarmUntilJitSettlesAsync(ObjectivesV1.Objectives.ObjectivesClient objectives, ChangeGenerator generator,
        BenchOptions options, JitMonitor jit, ConcurrentDictionary<long, long> arrivals, CancellationToken ct)
    {
        if (!CpuAccounting.Available) return;
        const int step = 5;
        var extra = 0;
        while (true)
        {
            var before = jit.Seconds;
            var calls = await OpenLoopAsync(objectives, generator, (int)Math.Round(options.Rate * step), options.Rate, ct);
            await Task.Delay(300, ct); // one more poll of the monitor
            var rate = (jit.Seconds - before) / step;
            extra += step;
            await DrainAsync(calls, arrivals, options.LostAfter, ct);
            if (rate <= 0.05 || extra >= MaxExtraWarmup.TotalSeconds)
            {
                Console.WriteLine($"warm-up extended by {extra} s: the hosts' JIT threads used {rate * 1000:F0} ms/s over its last {step} s" +
                                  (rate <= 0.05 ? " (settled)" : " (still recompiling; measuring anyway)"));
                return;
            }
        }
    }

    private static readonly TimeSpan MaxExtraWarmup = TimeSpan.FromSeconds(60);

    /// <summary>Imports the Lecce 2023 annex and waits for its recalculation; returns the strategic objectives to change.</summary>
    private static async Task<List<(string Code, double? Current)>> ImportAsync(
        ObjectivesV1.Objectives.ObjectivesClient objectives, ConcurrentDictionary<long, long> arrivals, CancellationToken ct)
    {
        var document = await File.ReadAllBytesAsync(TestEnvironment.LecceRelazione2023, ct);
        var importWatch = Stopwatch.StartNew();
        long version = 0;
        var total = 0;
        for (var attempt = 1; ; attempt++)
        {
            var imported = await objectives.ImportDocumentAsync(new ObjectivesV1.ImportDocumentRequest
            {
                Content = ByteString.CopyFrom(document), Format = ObjectivesV1.DocumentFormat.RelazioneText,
                FileName = Path.GetFileName(TestEnvironment.LecceRelazione2023), ReplaceExisting = attempt > 1,
            }, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: ct);
            version = imported.Version;
            total = imported.StrategicObjectives;
            Console.WriteLine($"imported {imported.Year}: {imported.Areas} areas, {imported.StrategicObjectives} strategic, " +
                              $"{imported.OperationalObjectives} operational objectives, plan version {version}, {imported.Warnings.Count} warnings");
            if (await WaitForAsync(arrivals, version, TimeSpan.FromSeconds(30), ct)) break;
            // The first event can only be lost if Scoring's queue was not yet bound: import again, once.
            if (attempt == 2) throw new BenchException($"Scoring never pushed the recalculation of plan version {version} (30 s)");
            Console.WriteLine("no recalculation of the import within 30 s; importing again");
        }
        Console.WriteLine($"import recalculated by Scoring after {importWatch.Elapsed.TotalMilliseconds:F0} ms");

        var codes = await CurrentValuesAsync(objectives, ct);
        Console.WriteLine($"changing the {codes.Count} strategic objectives of areas {string.Join(", ", Areas)} round-robin " +
                          $"({total - codes.Count} of the plan's {total} are in the other areas)");
        return codes;
    }

    /// <summary>The strategic objectives of the chosen areas with the value each holds now (read back, so a failed call cannot desynchronise the 99/100 alternation).</summary>
    private static async Task<List<(string Code, double? Current)>> CurrentValuesAsync(ObjectivesV1.Objectives.ObjectivesClient objectives, CancellationToken ct)
    {
        var tree = await objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = Year }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
        var chosen = tree.Areas.Where(a => Areas.Contains(a.Number)).OrderBy(a => a.Number)
            .SelectMany(a => a.StrategicObjectives).ToList();
        var shadowed = chosen.Where(s => s.OperationalObjectives.Any(o => o.Realization?.KindCase == ObjectivesV1.Realization.KindOneofCase.Value)).ToList();
        if (shadowed.Count > 0)
            Console.WriteLine($"NOTE: {shadowed.Count} of them have assessed operational objectives, so their own value does not move the score: " +
                              string.Join(", ", shadowed.Select(s => s.Code)));
        if (chosen.Count == 0) throw new BenchException("the imported plan has no strategic objectives in areas 1-8 and 10");
        return chosen.Select(s => (s.Code, s.Realization?.KindCase == ObjectivesV1.Realization.KindOneofCase.Value ? s.Realization.Value : (double?)null)).ToList();
    }

    /// <summary>Until the stream has been quiet for a second (what an earlier phase left in flight has landed), at most 30 s.</summary>
    private static async Task SettleAsync(ConcurrentDictionary<long, long> arrivals, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var seen = -1;
        var quietSince = watch.Elapsed;
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (arrivals.Count != seen) { seen = arrivals.Count; quietSince = watch.Elapsed; }
            else if (watch.Elapsed - quietSince >= TimeSpan.FromSeconds(1)) return;
            await Task.Delay(50, ct);
        }
        Console.WriteLine("NOTE: recalculations were still arriving after 30 s of settling");
    }

    // ---- load ---------------------------------------------------------------------------------------

    /// <summary>
    /// Round-robin over the codes. The values step through 90.00, 90.01, ... 99.99 (two decimals, as the plan allows), so a
    /// code never receives the value it already holds: every change moves its score even when an earlier call failed or
    /// changes were applied in another order. (Alternating 99 and 100 would turn one failed call into later "lost" ones.)
    /// </summary>
    private sealed class ChangeGenerator(IReadOnlyList<(string Code, double? Current)> codes)
    {
        private readonly Dictionary<string, double?> _last = codes.ToDictionary(c => c.Code, c => c.Current);
        private int _i;

        public int Count => codes.Count;

        public ObjectivesV1.SetRealizationRequest Next()
        {
            var code = codes[_i % codes.Count].Code;
            var value = Math.Round(90 + _i % 1000 / 100.0, 2);
            if (_last[code] == value) value = value >= 99.99 ? 90 : Math.Round(value + 0.01, 2);
            _last[code] = value;
            _i++;
            return new ObjectivesV1.SetRealizationRequest
            {
                StrategicObjective = new ObjectivesV1.StrategicObjectiveRef { Year = Year, Code = code },
                Realization = new ObjectivesV1.Realization { Value = value },
                AsOf = "2023-12-31",
                Note = "bench",
            };
        }
    }

    private sealed class Call
    {
        public long Due, Start, End;
        public long Version = -1;
        public StatusCode? Error;
        public string Code = "";
    }

    /// <summary>
    /// Open loop: call i is due at t0 + i/rate whether or not earlier calls have answered. A thread of its own sleeps to
    /// each due time (<see cref="Pacer"/>, no spinning on two shared cores) and starts the call there; the lag from the due
    /// time is reported, and latency is measured from the call's actual start.
    /// </summary>
    private static async Task<Call[]> OpenLoopAsync(ObjectivesV1.Objectives.ObjectivesClient objectives, ChangeGenerator generator,
        int count, double rate, CancellationToken ct)
    {
        var requests = Enumerable.Range(0, count).Select(_ => generator.Next()).ToArray();
        var calls = new Call[count];
        var tasks = new Task[count];
        var period = Stopwatch.Frequency / rate;
        var t0 = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
        var paced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pacer = new Thread(() =>
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    var due = t0 + (long)(i * period);
                    Pacer.SleepUntil(due);
                    var call = calls[i] = new Call { Due = due };
                    tasks[i] = SetAsync(objectives, requests[i], call, ct);
                }
                paced.SetResult();
            }
            catch (Exception ex)
            {
                paced.SetException(ex);
            }
        }) { IsBackground = true, Name = "e2e pacer" };
        pacer.Start();
        await paced.Task;
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30), ct);
        return calls;
    }

    private static async Task<Call[]> OneAtATimeAsync(ObjectivesV1.Objectives.ObjectivesClient objectives, ChangeGenerator generator,
        int count, ConcurrentDictionary<long, long> arrivals, TimeSpan lostAfter, CancellationToken ct)
    {
        var calls = new List<Call>(count);
        var phase = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (phase.Elapsed > IdleBudget)
            {
                Console.WriteLine($"NOTE: idle phase cut short after {IdleBudget.TotalSeconds:0} s: {i} of {count} changes made");
                break;
            }
            var call = new Call { Due = Stopwatch.GetTimestamp() };
            calls.Add(call);
            await SetAsync(objectives, generator.Next(), call, ct);
            if (call.Version >= 0) await WaitForAsync(arrivals, call.Version, lostAfter, ct);
            await Task.Delay(20, ct);
        }
        return calls.ToArray();
    }

    private static async Task SetAsync(ObjectivesV1.Objectives.ObjectivesClient objectives, ObjectivesV1.SetRealizationRequest request, Call call, CancellationToken ct)
    {
        call.Code = request.StrategicObjective.Code;
        call.Start = Stopwatch.GetTimestamp();
        try
        {
            var entry = await objectives.SetRealizationAsync(request, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
            call.End = Stopwatch.GetTimestamp();
            call.Version = entry.Version;
        }
        catch (RpcException ex) when (!ct.IsCancellationRequested)
        {
            call.End = Stopwatch.GetTimestamp();
            call.Error = ex.StatusCode;
        }
    }

    private static async Task<bool> WaitForAsync(ConcurrentDictionary<long, long> arrivals, long version, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + Time.Ticks(timeout);
        while (!arrivals.ContainsKey(version))
        {
            if (Stopwatch.GetTimestamp() > deadline) return false;
            await Task.Delay(5, ct);
        }
        return true;
    }

    /// <summary>Until every answered call's recalculation has arrived, or the loss limit has passed since the last call and the last answer.</summary>
    private static async Task DrainAsync(Call[] calls, ConcurrentDictionary<long, long> arrivals, TimeSpan lostAfter, CancellationToken ct)
    {
        var pending = calls.Where(c => c.Version >= 0).Select(c => c.Version).ToList();
        // Past the loss limit of the last call, and long enough after the last answer to see late arrivals too.
        var until = Math.Max(calls.Max(c => c.Start), calls.Max(c => c.End)) + Time.Ticks(lostAfter);
        while (pending.Any(v => !arrivals.ContainsKey(v)) && Stopwatch.GetTimestamp() < until)
            await Task.Delay(20, ct);
    }

    // ---- analysis -----------------------------------------------------------------------------------

    /// <param name="Lost">Answered, but no Recalculation within the loss limit of the call's start.</param>
    /// <param name="Late">Of <paramref name="Lost"/>, those whose Recalculation did arrive, later.</param>
    /// <param name="EndToEndAll">Every arrival, late ones included.</param>
    /// <param name="Superseded">
    /// Of those never arrived, the ones whose objective got a later change that did arrive. Scoring applies the newest
    /// version of a branch and skips an older event that comes after it (its consumers take up to 200 messages at once, in
    /// any order, and the outbox's sweep republishes what a failed publish left behind), so under overload a
    /// recalculation may be folded into the next one: the value is not lost, its intermediate figure is not published.
    /// </param>
    private sealed record Analysis(int Calls, int Failed, int Lost, int Late, int Superseded, Summary EndToEnd, Summary EndToEndAll, Summary GrpcCall, Summary AfterCall,
        Summary BeforeScoring, Summary InScoring, Summary Lag, Dictionary<StatusCode, int> Errors, double AchievedRate);

    private static string Superseded(Analysis a) =>
        a.Superseded > 0 ? $", of which {a.Superseded} superseded by a later change to the same objective that arrived" : "";

    private static Analysis Analyse(Call[] calls, ConcurrentDictionary<long, long> arrivals, ConcurrentDictionary<long, double> sinceCalculated,
        TimeSpan lostAfter)
    {
        var beforeScoring = new List<double>();
        var inScoring = new List<double>();
        var limit = Time.Ticks(lostAfter);
        var e2e = new List<double>();
        var grpc = new List<double>();
        var after = new List<double>();
        var all = new List<double>();
        int lost = 0, late = 0;
        foreach (var c in calls)
        {
            if (c.Error is not null) continue;
            grpc.Add(Time.Ms(c.End - c.Start));
            var hasArrived = arrivals.TryGetValue(c.Version, out var arrived);
            if (hasArrived) all.Add(Time.Ms(arrived - c.Start));
            if (hasArrived && arrived - c.Start <= limit)
            {
                e2e.Add(Time.Ms(arrived - c.Start));
                after.Add(Time.Ms(arrived - c.End));
                if (sinceCalculated.TryGetValue(c.Version, out var scoring))
                {
                    inScoring.Add(scoring);
                    beforeScoring.Add(Time.Ms(arrived - c.End) - scoring);
                }
            }
            else
            {
                lost++;
                if (hasArrived) late++;
            }
        }
        var newestArrived = calls.Where(c => c.Error is null && arrivals.ContainsKey(c.Version))
            .GroupBy(c => c.Code).ToDictionary(g => g.Key, g => g.Max(c => c.Version));
        var superseded = calls.Count(c => c.Error is null && c.Version >= 0 && !arrivals.ContainsKey(c.Version)
                                          && newestArrived.TryGetValue(c.Code, out var newer) && newer > c.Version);
        var span = calls.Length > 1 ? Time.Ms(calls.Max(c => c.Start) - calls.Min(c => c.Start)) / 1000 : 0;
        return new Analysis(calls.Length, calls.Count(c => c.Error is not null), lost, late, superseded, Summary.Of(e2e), Summary.Of(all), Summary.Of(grpc), Summary.Of(after),
            Summary.Of(beforeScoring), Summary.Of(inScoring), Summary.Of(calls.Select(c => Time.Ms(c.Start - c.Due))),
            calls.Where(c => c.Error is not null).GroupBy(c => c.Error!.Value).ToDictionary(g => g.Key, g => g.Count()),
            span > 0 ? (calls.Length - 1) / span : double.NaN);
    }

    /// <summary>
    /// One line per change: when it started (ms into the phase), the call, end to end (empty: never arrived), and from
    /// Scoring's batch start to the stream (the rest of end to end: before Scoring's batch, or after).
    /// </summary>
    private static void WriteSamples(string file, Call[] calls, ConcurrentDictionary<long, long> arrivals, ConcurrentDictionary<long, double> sinceCalculated)
    {
        var t0 = calls.Min(c => c.Start);
        var lines = calls.Select(c => string.Join(',',
            Time.Ms(c.Start - t0).ToString("F3", CultureInfo.InvariantCulture),
            c.Error is null ? Time.Ms(c.End - c.Start).ToString("F3", CultureInfo.InvariantCulture) : c.Error.ToString(),
            c.Error is null && arrivals.TryGetValue(c.Version, out var arrived) ? Time.Ms(arrived - c.Start).ToString("F3", CultureInfo.InvariantCulture) : "",
            c.Error is null && sinceCalculated.TryGetValue(c.Version, out var batch) ? batch.ToString("F3", CultureInfo.InvariantCulture) : ""));
        File.WriteAllLines(file, lines.Prepend("start_ms,call_ms,e2e_ms,from_batch_ms"));
        var wallStart = DateTime.UtcNow - Stopwatch.GetElapsedTime(t0);
        Console.WriteLine($"samples: {calls.Length} changes written to {file}; start_ms 0 is {wallStart:HH:mm:ss.fff} UTC");
    }

    private static void PrintCpu(IReadOnlyList<(string Name, double Seconds, double MsPerChange)> used, int changes)
    {
        var t = new Table("CPU during the measured phase", "cpu s", "ms/change");
        foreach (var (name, seconds, perChange) in used) t.Row(name, seconds, perChange);
        t.Row("all of the above", used.Sum(u => u.Seconds), used.Sum(u => u.MsPerChange));
        t.Print($"CPU time (user + system) over {changes} changes, calls and drain");
    }

    private static E2eResult Report(BenchOptions options, BareResult bare, string database, Analysis load, Analysis lead, Analysis? idle, Summary? readYear)
    {
        var b = bare.MassTransit;
        var t = new Table("latency (ms)", "p50", "p90", "p99", "max", "mean", "count");
        t.Row($"e2e: SetRealization -> Recalculation on stream, {options.Rate:0.#}/s", load.EndToEnd.P50, load.EndToEnd.P90, load.EndToEnd.P99,
            load.EndToEnd.Max, load.EndToEnd.Mean, load.EndToEnd.Count);
        if (load.Late > 0)
            t.Row("  the same, late arrivals (> loss limit) included", load.EndToEndAll.P50, load.EndToEndAll.P90, load.EndToEndAll.P99,
                load.EndToEndAll.Max, load.EndToEndAll.Mean, load.EndToEndAll.Count);
        t.Row("  of which: the gRPC SetRealization call (every answered call)", load.GrpcCall.P50, load.GrpcCall.P90, load.GrpcCall.P99, load.GrpcCall.Max, load.GrpcCall.Mean, load.GrpcCall.Count);
        t.Row("  of which: response -> Recalculation (outbox, broker x2, Scoring)", load.AfterCall.P50, load.AfterCall.P90, load.AfterCall.P99,
            load.AfterCall.Max, load.AfterCall.Mean, load.AfterCall.Count);
        t.Row("    until Scoring starts its batch (outbox, broker, queue)", load.BeforeScoring.P50, load.BeforeScoring.P90, load.BeforeScoring.P99,
            load.BeforeScoring.Max, load.BeforeScoring.Mean, load.BeforeScoring.Count);
        t.Row("    from there to the stream (commit, push, client)", load.InScoring.P50, load.InScoring.P90, load.InScoring.P99,
            load.InScoring.Max, load.InScoring.Mean, load.InScoring.Count);
        if (idle is not null)
        {
            t.Row($"idle: one change at a time, e2e", idle.EndToEnd.P50, idle.EndToEnd.P90, idle.EndToEnd.P99, idle.EndToEnd.Max, idle.EndToEnd.Mean, idle.EndToEnd.Count);
            t.Row("  of which: the gRPC SetRealization call", idle.GrpcCall.P50, idle.GrpcCall.P90, idle.GrpcCall.P99, idle.GrpcCall.Max, idle.GrpcCall.Mean, idle.GrpcCall.Count);
            t.Row("  of which: response -> Recalculation", idle.AfterCall.P50, idle.AfterCall.P90, idle.AfterCall.P99, idle.AfterCall.Max, idle.AfterCall.Mean, idle.AfterCall.Count);
        }
        if (readYear is { } r)
            t.Row("idle: GetYearTree (the whole year read), one at a time", r.P50, r.P90, r.P99, r.Max, r.Mean, r.Count);
        t.Row("bare MassTransit publish->consume (this run)", b.P50, b.P90, b.P99, b.Max, b.Mean, b.Count);
        t.Row("schedule lag (call start - due time)", load.Lag.P50, load.Lag.P90, load.Lag.P99, load.Lag.Max, load.Lag.Mean, load.Lag.Count);
        t.Print($"e2e results ({database})");

        var ratio = load.EndToEnd.P99 / b.P99;
        var errors = load.Errors.Count == 0 ? "none" : string.Join(", ", load.Errors.Select(e => $"{e.Key} x{e.Value}"));
        Console.WriteLine($"scheduled {load.Calls} changes at {options.Rate:0.#}/s (achieved {load.AchievedRate:F1}/s); answered {load.Calls - load.Failed}, " +
                          $"failed {load.Failed} ({errors}); lost (no Recalculation within {options.LostAfter.TotalSeconds:0} s of the call's start) {load.Lost}" +
                          (load.Lost > 0 ? $" = {load.Late} arrived later + {load.Lost - load.Late} never arrived{Superseded(load)}" : ""));
        if (idle is not null && (idle.Lost > 0 || idle.Failed > 0))
            Console.WriteLine($"idle phase: failed {idle.Failed}, lost {idle.Lost}");
        var underAbsolute = load.EndToEnd.P99 < 25;
        var underRatio = ratio < 10;
        // The lead-in's changes are not in the percentiles, but each of them must arrive too.
        var complete = load.Lost == 0 && load.Failed == 0 && load.EndToEnd.Count > 0 && lead.Lost == 0 && lead.Failed == 0;
        var pass = underAbsolute && underRatio && complete;
        Console.WriteLine($"p99(e2e) = {load.EndToEnd.P99:F2} ms vs target < 25 ms: {(underAbsolute ? "PASS" : "FAIL")}");
        Console.WriteLine($"p99(e2e)/p99(bare) = {load.EndToEnd.P99:F2} / {b.P99:F3} = {ratio:F1}x vs target < 10x: {(underRatio ? "PASS" : "FAIL")}");
        Console.WriteLine($"every change recalculated (lost 0, failed 0): {(complete ? "PASS" : "FAIL")}");
        Console.WriteLine($"e2e overall: {(pass ? "PASS" : "FAIL")}");
        if (!pass && load.EndToEnd.Count > 0)
            Console.WriteLine($"where the time goes at p50: gRPC call {load.GrpcCall.P50:F2} ms + after the response {load.AfterCall.P50:F2} ms; " +
                              $"at p99: gRPC call {load.GrpcCall.P99:F2} ms, after the response {load.AfterCall.P99:F2} ms");
        return new E2eResult(database, options.Rate, options.Seconds, load.Calls, load.Failed, load.Lost, load.EndToEnd, load.GrpcCall, load.AfterCall,
            idle?.EndToEnd, b.P99, pass);
    }

    // ---- environment --------------------------------------------------------------------------------

    /// <summary>
    /// The Scoring host consumes the durable, shared queue scoring.plan-changed: another Scoring on the same virtual host would take
    /// some of the bench's events, and events left over in it would be applied to the bench's fresh database. Refuse both.
    /// </summary>
    private static async Task CheckBrokerAsync(BenchOptions options, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = new Uri(options.RabbitMq), ClientProvidedName = "perf-bench-check" };
        IConnection connection;
        try
        {
            connection = await factory.CreateConnectionAsync(ct);
        }
        catch (BrokerUnreachableException ex)
        {
            throw new BenchException($"RabbitMQ {BareBench.Redact(options.RabbitMq)} unreachable: {ex.Message}", ex);
        }
        await using (connection)
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            try
            {
                var queue = await channel.QueueDeclarePassiveAsync(ScoringQueue, ct);
                if (queue.ConsumerCount > 0 || queue.MessageCount > 0)
                    throw new BenchException(
                        $"queue {ScoringQueue} on {BareBench.Redact(options.RabbitMq)} already has {queue.ConsumerCount} consumer(s) and {queue.MessageCount} message(s): " +
                        "another Scoring (or leftovers) would distort the e2e bench. Use a virtual host of its own (bash bench/run.sh creates one).");
            }
            catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
            {
                // Not declared yet on this virtual host: nobody else is there.
            }
        }
        if (BareBench.Credentials(new Uri(options.RabbitMq)).VirtualHost == "/")
            Console.WriteLine("NOTE: RabbitMQ virtual host \"/\" is shared: a Scoring or Objectives started by someone else during the run would distort it " +
                              "(bash bench/run.sh uses a virtual host of its own).");
    }

    /// <summary>How many warnings and errors a host logged during the run, and the first few kinds, to tell overload from faults.</summary>
    private static void SummariseLog(string name, HostProcess host)
    {
        var lines = host.Output.Split('\n');
        var kinds = new Dictionary<string, int>();
        int warnings = 0, errors = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            var isWarning = line.StartsWith("warn:", StringComparison.Ordinal);
            var isError = line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal);
            if (!isWarning && !isError) continue;
            if (isWarning) warnings++; else errors++;
            var message = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
            // The exception, when one is logged, follows the message: its type tells a conflict from a cancellation.
            var exception = lines.Skip(i + 2).Take(2).Select(l => l.Trim()).FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal)) ?? "";
            var detail = $"{message} {exception}".Trim();
            var kind = $"{line} {(detail.Length > 220 ? detail[..220] + "..." : detail)}";
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
        Console.WriteLine($"{name} logged {warnings} warning(s) and {errors} error(s)" + (kinds.Count == 0 ? "" : ":"));
        foreach (var (kind, n) in kinds.OrderByDescending(k => k.Value).Take(5))
            Console.WriteLine($"  {n,6} x {kind}");
    }

    private static void PrintTail(string name, HostProcess? host)
    {
        if (host is null) return;
        var lines = host.Output.Split('\n');
        Console.Error.WriteLine($"--- last lines of {name} output ---");
        foreach (var line in lines.TakeLast(30)) Console.Error.WriteLine(line.TrimEnd());
    }

    /// <summary>The two services' own databases for one run: fresh PostgreSQL databases, or SQLite files in a temporary folder.</summary>
    private sealed class Databases : IAsyncDisposable
    {
        public required string Objectives { get; init; }
        public required string Scoring { get; init; }
        public required string Describe { get; init; }
        private Func<Task> _cleanup = () => Task.CompletedTask;

        public static Task<Databases> SqliteAsync(string runId, bool keep)
        {
            var dir = Path.Combine(Path.GetTempPath(), $"perf-bench-{runId}");
            Directory.CreateDirectory(dir);
            return Task.FromResult(new Databases
            {
                Objectives = $"Data Source={Path.Combine(dir, "objectives.db")}",
                Scoring = $"Data Source={Path.Combine(dir, "scoring.db")}",
                Describe = $"SQLite files in {dir}{(keep ? " (kept)" : "")}",
                _cleanup = () =>
                {
                    if (!keep) Directory.Delete(dir, recursive: true);
                    return Task.CompletedTask;
                },
            });
        }

        public static async Task<Databases> PostgresAsync(string admin, string runId, bool keep, CancellationToken ct)
        {
            var server = new NpgsqlConnectionStringBuilder(admin);
            string[] names = [$"perf_bench_objectives_{runId}", $"perf_bench_scoring_{runId}"];
            string For(string name) => $"Host={server.Host};Port={server.Port};Username={server.Username};Database={name}";
            try
            {
                await using var conn = new NpgsqlConnection(admin);
                await conn.OpenAsync(ct);
                foreach (var name in names)
                {
                    await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
                    await cmd.ExecuteNonQueryAsync(ct);
                }
            }
            catch (NpgsqlException ex)
            {
                throw new BenchException($"PostgreSQL {server.Host}:{server.Port}: could not create the bench databases ({ex.Message}); " +
                                         "is it running? (bash bench/run.sh starts it; --sqlite runs without it)", ex);
            }
            return new Databases
            {
                Objectives = For(names[0]),
                Scoring = For(names[1]),
                Describe = $"PostgreSQL {server.Host}:{server.Port}, {names[0]} and {names[1]}{(keep ? " (kept)" : "")}",
                _cleanup = async () =>
                {
                    if (keep) return;
                    NpgsqlConnection.ClearAllPools();
                    await using var conn = new NpgsqlConnection(admin);
                    await conn.OpenAsync();
                    foreach (var name in names)
                    {
                        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
                        await cmd.ExecuteNonQueryAsync();
                    }
                },
            };
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _cleanup();
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"bench: could not clean up the databases: {ex.Message}");
            }
        }
    }
}
