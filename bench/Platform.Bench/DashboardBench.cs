using System.Diagnostics;
using System.Text;
using Grpc.Net.Client;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Bench;

/// <summary>
/// Issue 16's benchmark. `bash bench/run.sh dashboard` starts the platform (bench/dashboard-platform.sh: scripts/run.sh on
/// free ports, Auth__Disabled=true) and runs this against it:
/// 1. the dashboard (GET /?anno=2023) through the gateway at a steady rate, open loop (each request is timed from when
///    it was due, so a slow answer cannot slow the load down and hide itself), after a warm-up at the same rate;
/// 2. GetScorecard(2023) over gRPC beside a bare gRPC echo (<see cref="EchoServer"/>, a process of its own), the same
///    client pattern for both (one channel, N callers in a closed loop, the same duration), directly and through the
///    gateway (which routes perf.bench.v1.* to the echo when Services:BenchEcho is set); and beside the same echo
///    process serving GetScorecard's own reply bare, which tells the reply's size from Scoring's work.
/// CPU per request of every process involved, from /proc. Settings: PERF_BENCH_HTTP (http://127.0.0.1:8080),
/// PERF_BENCH_GRPC (the gateway, http://127.0.0.1:8081), PERF_BENCH_SERVICES (direct, http://127.0.0.1:5100),
/// PERF_BENCH_ECHO_PORT (a free port when unset; the gateway's echo route then has no server), PERF_BENCH_PLATFORM_PID
/// (the session of run.sh's processes; else this checkout's Portal, Gateway, Embedded.Host and Identity.Host by name).
/// </summary>
public static class DashboardBench
{
    public sealed record Result(int Requests, int Errors, Summary Latency, double RequestsPerSecond, double CpuMsPerRequest,
        double ScorecardRatioDirect, double ScorecardRatioGateway)
    {
        public bool DashboardMet => Errors == 0 && Latency.P99 < 50;
        public bool GrpcMet => ScorecardRatioDirect >= 0.5 && ScorecardRatioGateway >= 0.5;
    }

    public static async Task<Result> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var http = Environment.GetEnvironmentVariable("PERF_BENCH_HTTP") ?? "http://127.0.0.1:8080";
        var gateway = Environment.GetEnvironmentVariable("PERF_BENCH_GRPC") ?? "http://127.0.0.1:8081";
        var direct = Environment.GetEnvironmentVariable("PERF_BENCH_SERVICES") ?? "http://127.0.0.1:5100";
        var echoPort = int.TryParse(Environment.GetEnvironmentVariable("PERF_BENCH_ECHO_PORT"), out var p) ? p : FreePort();
        var processes = new PlatformProcesses(int.TryParse(Environment.GetEnvironmentVariable("PERF_BENCH_PLATFORM_PID"), out var s) ? s : null);

        using var echo = StartEcho(echoPort);
        processes.Echo = echo.Id;
        try
        {
            var dashboard = await DashboardAsync(options, http, processes, ct);
            var (ratioDirect, ratioGateway) = await GrpcAsync(options, direct, gateway, $"http://127.0.0.1:{echoPort}", processes, ct);
            var result = dashboard with { ScorecardRatioDirect = ratioDirect, ScorecardRatioGateway = ratioGateway };
            Console.WriteLine();
            Console.WriteLine($"verdict: dashboard p99 {Time.F(result.Latency.P99, 1)} ms, {result.Errors} errors -> {(result.DashboardMet ? "met" : "NOT met")} " +
                              $"(p99 < 50 ms, no errors); GetScorecard / echo {Time.F(ratioDirect, 2)} direct, {Time.F(ratioGateway, 2)} via the gateway -> " +
                              $"{(result.GrpcMet ? "met" : "NOT met")} (>= 0.5 both ways)");
            return result;
        }
        finally
        {
            try { echo.Kill(); echo.WaitForExit(5000); } catch (InvalidOperationException) { }
        }
    }

    private static async Task<Result> DashboardAsync(BenchOptions options, string http, PlatformProcesses processes, CancellationToken ct)
    {
        var rate = options.Rate;
        var seconds = options.SecondsGiven ? options.Seconds : 30;
        var warmup = options.WarmupGiven ? options.WarmupSeconds : 10;
        var url = $"{http}/?anno=2023";
        Console.WriteLine($"\n== dashboard: GET {url} at {rate} req/s for {seconds} s (after {warmup} s of warm-up at that rate), open loop ==");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { Timeout = TimeSpan.FromSeconds(10) };
        var first = await client.GetStringAsync(url, ct);
        if (!first.Contains(Marker)) throw new BenchException($"{url} does not show the dashboard's figures");

        if (warmup > 0) await OpenLoopAsync(client, url, rate, warmup, ct);
        var cpu = processes.Read();
        var machine = CpuAccounting.Machine();
        var (latencies, errors, elapsed, firstError) = await OpenLoopAsync(client, url, rate, seconds, ct);
        var used = processes.Read().Minus(cpu);
        var m = CpuAccounting.Machine();
        var total = latencies.Length;
        var sum = Summary.Of(latencies);
        var cpuPerRequest = used.Platform * 1000 / total;
        new Table("dashboard", "p50 ms", "p90 ms", "p99 ms", "max ms", "requests", "errors", "req/s", "CPU ms/req")
            .Row("GET /?anno=2023 via gateway", Time.F(sum.P50, 1), Time.F(sum.P90, 1), Time.F(sum.P99, 1), Time.F(sum.Max, 1), total, errors,
                Time.F(total / elapsed, 1), Time.F(cpuPerRequest, 2))
            .Print("dashboard (open loop)");
        used.PrintPerRequest(total, "CPU ms per dashboard request");
        Console.WriteLine($"machine over the phase: busy {Time.F(m.Busy - machine.Busy, 1)} s, idle {Time.F(m.Idle - machine.Idle, 1)} s, " +
                          $"stolen {Time.F(m.Steal - machine.Steal, 1)} s of {Time.F(elapsed * Environment.ProcessorCount, 1)} core-seconds");
        if (firstError is not null) Console.WriteLine($"first error: {firstError}");
        Console.WriteLine($"target: p99 < 50 ms and no errors -> {(sum.P99 < 50 && errors == 0 ? "met" : "NOT met")}");
        return new Result(total, errors, sum, total / elapsed, cpuPerRequest, double.NaN, double.NaN);
    }

    private const string Marker = "data-testid=\"entity-computed\"";

    private static async Task<(double[] Latencies, int Errors, double Seconds, string? FirstError)> OpenLoopAsync(
        HttpClient client, string url, double rate, int seconds, CancellationToken ct)
    {
        var total = (int)(rate * seconds);
        var latencies = new double[total];
        var errors = 0;
        string? firstError = null;
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
                string? error = null;
                try
                {
                    using var response = await client.GetAsync(url, ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    if (!response.IsSuccessStatusCode) error = $"HTTP {(int)response.StatusCode}";
                    else if (!body.Contains(Marker)) error = "a page without the dashboard's figures";
                }
                catch (HttpRequestException e) { error = e.Message; }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested) { error = "client timeout (10 s)"; }
                latencies[n] = Time.Ms(Stopwatch.GetTimestamp() - due);
                if (error is not null && Interlocked.Increment(ref errors) == 1) firstError = error;
            }, ct);
        }
        await Task.WhenAll(tasks);
        return (latencies, errors, Time.Ms(Stopwatch.GetTimestamp() - start) / 1000, firstError);
    }

    private static async Task<(double Direct, double Gateway)> GrpcAsync(
        BenchOptions options, string direct, string gateway, string echo, PlatformProcesses processes, CancellationToken ct)
    {
        var callers = options.Callers;
        var seconds = options.GrpcSeconds;
        var slice = Math.Max(1, seconds / Rounds);
        Console.WriteLine($"\n== gRPC: GetScorecard(2023) beside a bare echo, each {callers} callers on one channel, closed loop, " +
                          $"{Rounds} rounds of {slice} s each (after 2 s of warm-up), the calls taking turns within a round; directly and through the gateway ==");
        // The dashboard's own call is the BASIC view (figures and discrepancies); FULL (with the 55 strategic objectives
        // and their titles) is measured beside it, for the clients that ask for everything.
        var request = new ScoringV1.GetScorecardRequest { Year = 2023, View = ScoringV1.ScorecardView.Basic };
        var full = new ScoringV1.GetScorecardRequest { Year = 2023, View = ScoringV1.ScorecardView.Full };
        var message = new V1.EchoMessage { Payload = Google.Protobuf.ByteString.CopyFromUtf8("ping") };
        var fullSize = await HoldScorecardAsync(direct, echo, request, full, message, ct);

        // Each call in its own series on its own channel. The series take turns in short slices, round after round, so a
        // change in the machine's load (other guests, a collection) falls on all of them alike; a ratio is the median of
        // the rounds' ratios, each from slices measured seconds apart.
        var all = new List<Series>();
        async Task<List<Series>> PathAsync(string path, string target, string echoTarget)
        {
            var series = new List<Series>
            {
                new("echo", path, echoTarget, c => { var e = new V1.Echo.EchoClient(c); return t => e.EchoAsync(message, cancellationToken: t).ResponseAsync; }),
                new("same reply, bare", path, echoTarget, c => { var e = new V1.Echo.EchoClient(c); return t => e.ScorecardAsync(message, cancellationToken: t).ResponseAsync; }),
                new("GetScorecard", path, target, c => { var sc = new ScoringV1.Scoring.ScoringClient(c); return t => sc.GetScorecardAsync(request, cancellationToken: t).ResponseAsync; }),
                new("GetScorecard FULL", path, target, c => { var sc = new ScoringV1.Scoring.ScoringClient(c); return t => sc.GetScorecardAsync(full, cancellationToken: t).ResponseAsync; }),
            };
            foreach (var one in series) await ClosedLoopAsync(one.Invoke, callers, 2, ct); // warm-up
            for (var round = 0; round < Rounds; round++)
                foreach (var one in series)
                {
                    var before = processes.Read();
                    var (calls, elapsed) = await ClosedLoopAsync(one.Invoke, callers, slice, ct);
                    one.Add(calls, elapsed, processes.Read().Minus(before));
                }
            all.AddRange(series);
            return series;
        }
        var directSeries = await PathAsync("direct", direct, echo);
        var gatewaySeries = await PathAsync("gateway", gateway, gateway);
        foreach (var one in all) one.Dispose();

        var table = new Table("call", "path", "calls", "calls/s", "CPU ms/call: server", "gateway", "client (bench)", "÷ echo, median of rounds (min-max)");
        foreach (var r in all)
        {
            var server = r.Name.StartsWith("GetScorecard", StringComparison.Ordinal) ? r.Cpu.Services : r.Cpu.Echo;
            var echoOfPath = all.First(e => e.Path == r.Path && e.Name == "echo");
            var ratios = r.RatiosTo(echoOfPath);
            table.Row(r.Name, r.Path, r.Calls, Time.F(r.Calls / r.Seconds, 0), Time.F(server * 1000 / r.Calls, 3),
                r.Path == "gateway" ? Time.F(r.Cpu.Gateway * 1000 / r.Calls, 3) : "-", Time.F(r.Cpu.Client * 1000 / r.Calls, 3),
                r.Name == "echo" ? "-" : $"{Time.F(Summary.Of(ratios).P50, 2)} ({Time.F(ratios.Min(), 2)}-{Time.F(ratios.Max(), 2)})");
        }
        table.Print("GetScorecard (the dashboard's BASIC view, and FULL) beside the bare echo (server: Embedded.Host for GetScorecard, the echo process for the other two)");
        double Ratio(List<Series> path, string name, string to = "echo") => Summary.Of(path.First(x => x.Name == name).RatiosTo(path.First(x => x.Name == to))).P50;
        var ratioDirect = Ratio(directSeries, "GetScorecard");
        var ratioGateway = Ratio(gatewaySeries, "GetScorecard");
        Console.WriteLine($"GetScorecard (BASIC) / echo: direct {Time.F(ratioDirect, 2)}, through the gateway {Time.F(ratioGateway, 2)}");
        Console.WriteLine($"GetScorecard / the same reply from a bare server: direct {Time.F(Ratio(directSeries, "GetScorecard", "same reply, bare"), 2)}, " +
                          $"through the gateway {Time.F(Ratio(gatewaySeries, "GetScorecard", "same reply, bare"), 2)} (what Scoring costs beyond the reply's size)");
        Console.WriteLine($"GetScorecard FULL / echo: direct {Time.F(Ratio(directSeries, "GetScorecard FULL"), 2)}, through the gateway " +
                          $"{Time.F(Ratio(gatewaySeries, "GetScorecard FULL"), 2)} ({fullSize:N0} B; in session 8 the FULL reply served bare reached 0.34-0.35 of the echo)");
        Console.WriteLine($"target: GetScorecard as the dashboard calls it (BASIC) at least half the echo's throughput, like for like (direct, and through the gateway) -> " +
                          $"{(ratioDirect >= 0.5 && ratioGateway >= 0.5 ? "met" : "NOT met")}");
        return (ratioDirect, ratioGateway);
    }

    /// <summary>How many rounds the gRPC phase's calls take turns in (see GrpcAsync).</summary>
    private const int Rounds = 5;

    /// <summary>One call measured in slices: its channel, and what each slice counted.</summary>
    private sealed class Series : IDisposable
    {
        private readonly GrpcChannel _channel;
        private readonly List<double> _perSecond = [];

        public Series(string name, string path, string address, Func<GrpcChannel, Func<CancellationToken, Task>> call)
        {
            (Name, Path) = (name, path);
            _channel = GrpcChannel.ForAddress(address);
            Invoke = call(_channel);
        }

        public string Name { get; }
        public string Path { get; }
        public Func<CancellationToken, Task> Invoke { get; }
        public int Calls { get; private set; }
        public double Seconds { get; private set; }
        public CpuSample Cpu { get; private set; } = new(0, 0, 0, 0, 0, 0, 0);

        public void Add(int calls, double seconds, CpuSample cpu)
        {
            (Calls, Seconds, Cpu) = (Calls + calls, Seconds + seconds, Cpu.Plus(cpu));
            _perSecond.Add(calls / seconds);
        }

        /// <summary>This call's throughput over the other's, round by round.</summary>
        public List<double> RatiosTo(Series other) => _perSecond.Zip(other._perSecond, (a, b) => a / b).ToList();

        public void Dispose() => _channel.Dispose();
    }

    /// <summary>
    /// Gives the echo process GetScorecard's reply to serve bare, and prints what each call moves: the gap between the
    /// echo and GetScorecard is mostly the scorecard's size (encoding it, and taking it apart on the client).
    /// </summary>
    /// <returns>The size of the FULL scorecard.</returns>
    private static async Task<int> HoldScorecardAsync(string direct, string echoAddress, ScoringV1.GetScorecardRequest request,
        ScoringV1.GetScorecardRequest full, V1.EchoMessage echo, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(direct);
        var card = await new ScoringV1.Scoring.ScoringClient(channel).GetScorecardAsync(request, cancellationToken: ct);
        var fullSize = (await new ScoringV1.Scoring.ScoringClient(channel).GetScorecardAsync(full, cancellationToken: ct)).CalculateSize();
        using (var echoChannel = GrpcChannel.ForAddress(echoAddress))
            await new V1.Echo.EchoClient(echoChannel).HoldAsync(card, cancellationToken: ct);
        var calculations = card.Discrepancies.Sum(d => d.Calculation?.CalculateSize() ?? 0);
        var sentences = card.Discrepancies.Sum(d => d.Explanation.Sum(e => Encoding.UTF8.GetByteCount(e) + 3));
        Console.WriteLine($"reply sizes: echo {echo.CalculateSize()} B; scorecard FULL {fullSize:N0} B, BASIC {card.CalculateSize():N0} B " +
                          $"(BASIC: areas {card.Areas.Sum(a => a.CalculateSize()):N0} B, {card.Discrepancies.Count} discrepancies " +
                          $"{card.Discrepancies.Sum(d => d.CalculateSize()):N0} B, of which calculations {calculations:N0} B and English sentences {sentences:N0} B)");
        return fullSize;
    }

    private static async Task<(int Calls, double Seconds)> ClosedLoopAsync(Func<CancellationToken, Task> call, int callers, int seconds, CancellationToken ct)
    {
        var count = 0;
        var start = Stopwatch.GetTimestamp();
        var until = start + Time.Ticks(TimeSpan.FromSeconds(seconds));
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                await call(ct);
                Interlocked.Increment(ref count);
            }
        }, ct)));
        return (count, Time.Ms(Stopwatch.GetTimestamp() - start) / 1000);
    }

    private static Process StartEcho(int port)
    {
        var info = new ProcessStartInfo("dotnet", [typeof(DashboardBench).Assembly.Location, "echo-server", port.ToString()])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            RedirectStandardInput = true, // closed when this process ends: the echo then stops (EchoServer)
        };
        // As the platform's hosts run (the Web SDK's default): server GC.
        info.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(info) ?? throw new BenchException("could not start the echo server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine($"[echo] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.GetTimestamp() + Time.Ticks(TimeSpan.FromSeconds(30));
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited) throw new BenchException($"the echo server exited ({process.ExitCode})");
            try
            {
                using var socket = new System.Net.Sockets.TcpClient();
                socket.Connect("127.0.0.1", port);
                return process;
            }
            catch (System.Net.Sockets.SocketException) { Thread.Sleep(100); }
        }
        process.Kill();
        throw new BenchException($"the echo server did not listen on {port} within 30 s");
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>CPU seconds (user + system) per process of the run, by role.</summary>
    private sealed record CpuSample(double Gateway, double Portal, double Services, double Identity, double Launchers, double Echo, double Client)
    {
        /// <summary>What serving the dashboard costs: gateway, portal, services and the identity provider.</summary>
        public double Platform => Gateway + Portal + Services + Identity;

        public CpuSample Minus(CpuSample o) => new(Gateway - o.Gateway, Portal - o.Portal, Services - o.Services, Identity - o.Identity,
            Launchers - o.Launchers, Echo - o.Echo, Client - o.Client);
        public CpuSample Plus(CpuSample o) => new(Gateway + o.Gateway, Portal + o.Portal, Services + o.Services, Identity + o.Identity,
            Launchers + o.Launchers, Echo + o.Echo, Client + o.Client);

        public void PrintPerRequest(int requests, string title)
        {
            string F(double seconds) => Time.F(seconds * 1000 / requests, 3);
            var sb = new StringBuilder($"{title}: gateway {F(Gateway)}, portal {F(Portal)}, services {F(Services)}, identity {F(Identity)}");
            sb.Append($" = {F(Platform)}; besides: the bench's client {F(Client)}, run.sh's launchers and log filters {F(Launchers)}");
            Console.WriteLine(sb.ToString());
        }
    }

    /// <summary>The processes scripts/run.sh started (by session when known, else this checkout's by name), the echo, this one.</summary>
    private sealed class PlatformProcesses(int? session)
    {
        private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        public int? Echo { get; set; }

        public CpuSample Read()
        {
            double gateway = 0, portal = 0, services = 0, identity = 0, launchers = 0, echo = 0, client = 0;
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var seconds = (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime + stime, clock ticks
                    if (pid == Environment.ProcessId) { client += seconds; continue; }
                    if (pid == Echo) { echo += seconds; continue; }
                    var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    if (session is { } sid ? int.Parse(fields[3]) != sid : !cmd.Contains(Root)) continue;
                    if (cmd.Contains(" run ") || (session is null && !cmd.Contains(".dll") && !cmd.Contains("/bin/"))) launchers += seconds;
                    else if (cmd.Contains("Embedded.Host")) services += seconds;
                    else if (cmd.Contains("Identity.Host")) identity += seconds;
                    else if (cmd.Contains("Gateway")) gateway += seconds;
                    else if (cmd.Contains("Portal")) portal += seconds;
                    else launchers += seconds;
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
                catch (FormatException) { }
            }
            return new CpuSample(gateway, portal, services, identity, launchers, echo, client);
        }
    }
}
