using System.Globalization;
using PerfPlatform.Bench;

// dotnet run -c Release --project bench/Platform.Bench -- [all|bare|e2e|recompute] [options]
// See BenchOptions.Usage, or `-- --help`.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// The reports bench renders each format in a fresh child process: this same program, re-invoked (ReportsBench.Child).
if (args is [ReportsBench.ChildCommand, .. var childArgs]) return ReportsBench.Child(childArgs);
// The dashboard bench's bare gRPC echo, run by DashboardBench as a process of its own.
if (args is ["echo-server", var echoPort]) return await EchoServer.RunAsync(int.Parse(echoPort, CultureInfo.InvariantCulture));

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

// Everything is bounded: the whole run is cancelled past this limit, and every phase has its own timeouts.
using var cancel = new CancellationTokenSource(options.HardLimit);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

Console.WriteLine($"perf-platform bench: {string.Join(' ', options.Commands)}  ({DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}, " +
                  $"{Environment.ProcessorCount} cores, .NET {Environment.Version}; load average {LoadAverage()})");

var results = new BenchResults();
try
{
    foreach (var command in options.Commands)
    {
        switch (command)
        {
            case "bare":
                results.Bare = await BareBench.RunAsync(options, cancel.Token);
                break;
            case "e2e":
                // The ratio is against the bare round trip of this very run.
                results.Bare ??= await BareBench.RunAsync(options with { Raw = false }, cancel.Token);
                results.E2e = await E2eBench.RunAsync(options, results.Bare, cancel.Token);
                break;
            case "recompute":
                results.Recompute = RecomputeBench.Run(options, cancel.Token);
                break;
            case "faults":
            {
                // The harness reads PERF_TEST_POSTGRES (bench/run.sh exports it) and starts a RabbitMQ node of its own.
                await using var harness = await PerfPlatform.FaultHarness.FaultHarness.StartAsync(Console.WriteLine);
                var faults = await harness.RunAllAsync(new PerfPlatform.FaultHarness.FaultOptions
                {
                    BrokerCycles = options.BrokerCycles, FaultFor = TimeSpan.FromSeconds(options.FaultSeconds),
                    LoadBefore = TimeSpan.FromSeconds(5), LoadAfter = TimeSpan.FromSeconds(5), AgreeWithin = TimeSpan.FromSeconds(120),
                }, cancel.Token);
                Console.WriteLine();
                Console.WriteLine(PerfPlatform.FaultHarness.FaultHarness.Table(faults));
                break;
            }
            case "dashboard":
                await DashboardBench.RunAsync(options, cancel.Token);
                break;
            case "reports":
                await ReportsBench.RunAsync(options, cancel.Token);
                break;
        }
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine($"bench: cancelled (Ctrl+C, or the hard limit of {options.HardLimit.TotalSeconds:0} s was reached)");
    return 1;
}
catch (BenchException ex)
{
    Console.Error.WriteLine($"bench: {ex.Message}");
    return 1;
}

// The dashboard and reports modes print their own verdicts; the summary table is the other modes'.
if (options.Commands.Any(c => c is not ("dashboard" or "reports"))) results.PrintSummary();
Console.WriteLine($"load average at the end: {LoadAverage()} (other work on this machine competes for the same cores)");
return 0;

static string LoadAverage()
{
    try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
    catch (IOException) { return "n/a"; }
    catch (UnauthorizedAccessException) { return "n/a"; }
}
