using System.Diagnostics;
using Grpc.Net.Client;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Bench;

/// <summary>
/// The dashboard through the gateway at a steady rate, open loop (each request is timed from when it was due,
/// so a slow answer cannot slow the load down and hide itself), against a platform already running
/// (`Auth__Disabled=true bash scripts/run.sh`: the unpublished 2023 needs a login otherwise, and the bench measures the
/// pages and the scorecard, not the login); then GetScorecard over gRPC through the gateway, closed loop, for its throughput.
/// CPU per request: the platform's three processes (portal, gateway, services), from /proc.
/// Settings: PERF_BENCH_HTTP (http://127.0.0.1:8080), PERF_BENCH_GRPC (http://127.0.0.1:8081), --rate, --seconds.
/// </summary>
public static class DashboardBench
{
    public static async Task RunAsync(BenchOptions options, CancellationToken ct)
    {
        var http = Environment.GetEnvironmentVariable("PERF_BENCH_HTTP") ?? "http://127.0.0.1:8080";
        var grpc = Environment.GetEnvironmentVariable("PERF_BENCH_GRPC") ?? "http://127.0.0.1:8081";
        var rate = (int)options.Rate;
        var url = $"{http}/?anno=2023";
        Console.WriteLine($"\n== dashboard: GET {url} at {rate} req/s for {options.Seconds} s, open loop ==");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromSeconds(10) };
        (await client.GetAsync(url, ct)).EnsureSuccessStatusCode();
        for (var i = 0; i < 50; i++) await client.GetStringAsync(url, ct); // warm-up

        var cpu = PlatformCpu.Now();
        var total = rate * options.Seconds;
        var latencies = new double[total];
        var errors = 0;
        var start = Stopwatch.GetTimestamp();
        var tasks = new Task[total];
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = Time.Ms(due - Stopwatch.GetTimestamp());
            if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
            var n = i;
            tasks[i] = Task.Run(async () =>
            {
                try
                {
                    using var response = await client.GetAsync(url, ct);
                    await response.Content.ReadAsByteArrayAsync(ct);
                    if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException) { Interlocked.Increment(ref errors); }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested) { Interlocked.Increment(ref errors); }
                latencies[n] = Time.Ms(Stopwatch.GetTimestamp() - due);
            }, ct);
        }
        await Task.WhenAll(tasks);
        var seconds = Time.Ms(Stopwatch.GetTimestamp() - start) / 1000;
        var used = PlatformCpu.Now() - cpu;
        var s = Summary.Of(latencies);
        new Table("dashboard", "p50 ms", "p90 ms", "p99 ms", "max ms", "requests", "errors", "req/s", "CPU ms/req")
            .Row("GET /?anno=2023 via gateway", s.P50, s.P90, s.P99, s.Max, total, errors, Time.F(total / seconds, 1), Time.F(used * 1000 / total, 2))
            .Print("dashboard (open loop)");
        Console.WriteLine($"target: p99 < 50 ms and no errors -> {(s.P99 < 50 && errors == 0 ? "met" : "NOT met")}");

        Console.WriteLine($"\n== GetScorecard over gRPC via {grpc}, closed loop, 16 callers, {options.Seconds} s ==");
        using var channel = GrpcChannel.ForAddress(grpc);
        var scoring = new ScoringV1.Scoring.ScoringClient(channel);
        var count = 0;
        cpu = PlatformCpu.Now();
        var until = Stopwatch.GetTimestamp() + Time.Ticks(TimeSpan.FromSeconds(options.Seconds));
        var gstart = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                await scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 }, cancellationToken: ct);
                Interlocked.Increment(ref count);
            }
        }));
        var gseconds = Time.Ms(Stopwatch.GetTimestamp() - gstart) / 1000;
        used = PlatformCpu.Now() - cpu;
        new Table("gRPC", "calls", "calls/s", "CPU ms/call")
            .Row("Scoring.GetScorecard(2023) via gateway", count, Time.F(count / gseconds, 1), Time.F(used * 1000 / count, 2))
            .Print("GetScorecard (closed loop)");
    }

    /// <summary>CPU seconds used so far by the processes run.sh starts (their dll names), from /proc/PID/stat.</summary>
    private static class PlatformCpu
    {
        // This checkout's builds only: other checkouts on the machine run apps of the same names.
        private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        private static readonly string[] Apps = ["Portal.dll", "Gateway.dll", "Embedded.Host.dll", "/Portal ", "/Gateway ", "/Embedded.Host "];

        public static double Now()
        {
            double total = 0;
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
                try
                {
                    var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    if (!cmd.Contains(Root) || !Apps.Any(cmd.Contains) || cmd.Contains("dotnet run")) continue;
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    total += (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime + stime, clock ticks
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            return total;
        }
    }
}
