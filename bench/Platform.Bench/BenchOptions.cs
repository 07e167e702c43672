using System.Globalization;
using System.Net;
using Npgsql;

namespace PerfPlatform.Bench;

/// <summary>A failure that ends the bench with a message (not a measured result).</summary>
public sealed class BenchException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record BenchOptions
{
    public const string DefaultRabbitMq = "amqp://guest:guest@127.0.0.1:25672/";
    public const string DefaultPostgres = "Host=127.0.0.1;Port=25432;Username=perf;Database=postgres";

    public IReadOnlyList<string> Commands { get; init; } = ["bare", "e2e", "recompute"];
    public bool Help { get; init; }

    // bare
    public int BareCount { get; init; } = 5_000;
    public int BareWarmup { get; init; } = 500;
    /// <summary>Also measure the round trip with RabbitMQ.Client alone (no MassTransit).</summary>
    public bool Raw { get; init; } = true;

    // e2e
    public double Rate { get; init; } = 200;
    public int Seconds { get; init; } = 60;
    /// <summary>
    /// Long enough for the hosts' tiered JIT to settle under load: it recompiles the hot paths for about 10 s after the
    /// load starts, taking most of a core meanwhile (dotnet-counters, docs/benchmarks.md).
    /// </summary>
    public int WarmupSeconds { get; init; } = 30;
    /// <summary>Whether --seconds / --warmup-seconds were given (the dashboard has its own defaults: 30 s and 10 s).</summary>
    public bool SecondsGiven { get; init; }
    public bool WarmupGiven { get; init; }

    // dashboard: the gRPC phases (GetScorecard beside the echo), each this long with this many callers.
    public int GrpcSeconds { get; init; } = 10;
    public int Callers { get; init; } = 16;
    public int IdleCount { get; init; } = 50;
    public bool Sqlite { get; init; }
    public TimeSpan LostAfter { get; init; } = TimeSpan.FromSeconds(5);
    public bool KeepDatabases { get; init; }
    /// <summary>e2e: where to write every measured change's timings as CSV (for a timeline); null: not written.</summary>
    public string? SamplesFile { get; init; }

    // faults
    public int BrokerCycles { get; init; } = 10;
    public int FaultSeconds { get; init; } = 10;

    // recompute
    public int RecomputeCount { get; init; } = 10_000;
    public int RecomputeWarmup { get; init; } = 1_000;

    public string RabbitMq { get; init; } = Environment.GetEnvironmentVariable("PERF_TEST_RABBITMQ") is { Length: > 0 } r ? r : DefaultRabbitMq;
    public string Postgres { get; init; } = Environment.GetEnvironmentVariable("PERF_TEST_POSTGRES") is { Length: > 0 } p ? p : DefaultPostgres;

    /// <summary>
    /// The whole run is cancelled past this (the e2e phases are the long ones). The faults mode's scenarios each take
    /// load + fault + load + up to 120 s of waiting for agreement: 420 s would cancel a ten-cycle run half way.
    /// </summary>
    public TimeSpan HardLimit => TimeSpan.FromSeconds(240 + 2 * (Seconds + WarmupSeconds) + 2 * 60 /* E2eBench: the JIT-settling warm-up */
        + (Commands.Contains("faults") ? (BrokerCycles + 6) * (FaultSeconds + 10 + 120) : 0));

    public const string Usage = """
        usage: dotnet run -c Release --project bench/Platform.Bench -- [all|bare|e2e|recompute|reports]... [options]

          all (default)      bare, then e2e, then recompute
          reports            every report format for the 2023 plan and a synthetic 10,000 (ReportsBench.cs)
          dashboard          the portal's dashboard through the gateway at --rate req/s, open loop, for --seconds (30, after
                             --warmup-seconds 10); then GetScorecard beside a bare gRPC echo, directly and through the gateway
                             (DashboardBench.cs). `bash bench/run.sh dashboard` starts the platform for it.
          --grpc-seconds N   dashboard: each gRPC phase's duration (10), --callers N callers (16)
          bare               publish-to-consume round trip on RabbitMQ: MassTransit (and RabbitMQ.Client raw)
          e2e                SetRealization on Objectives -> Recalculation on Scoring's stream, hosts as OS processes
                             (runs the MassTransit bare round trip first when `bare` was not asked for)
          recompute          YearScorecard.Apply on a synthetic 100,000-objective plan
          faults             the fault harness at 50 changes/s: broker cycles, kills, Scoring's database away, a poison
                             row (not in all; docs/reliability.md)
          --broker-cycles N  faults: broker stop/start cycles, alternating stop_app and a full node stop (10)
          --fault-seconds N  faults: how long each fault lasts (10)

        options:
          --rate N           e2e changes per second, open-loop schedule (200)
          --seconds N        e2e measured duration (60)
          --warmup-seconds N e2e warm-up at the same rate, not counted (30)
          --idle N           e2e changes made one at a time after the load, unloaded reference (50; 0 = skip)
          --sqlite           e2e hosts on SQLite files instead of PostgreSQL databases
          --samples FILE     e2e: write each measured change (start, call, end to end, in ms) to FILE as CSV
          --keep-databases   do not drop the e2e databases / delete the SQLite files
          --bare-n N         bare round trips measured (5000), after --bare-warmup N (500)
          --no-raw           skip the RabbitMQ.Client raw round trip
          --recompute-n N    recompute changes measured (10000), after --recompute-warmup N (1000)
          --rabbitmq URL     default $PERF_TEST_RABBITMQ or amqp://guest:guest@127.0.0.1:25672/
          --postgres CS      admin connection, default $PERF_TEST_POSTGRES or Host=127.0.0.1;Port=25432;Username=perf;Database=postgres
        Only loopback servers are accepted.
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        var commands = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            int Int(int min) => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v : throw new ArgumentException($"{a}: a whole number >= {min}");
            switch (a)
            {
                case "all": commands.AddRange(["bare", "e2e", "recompute"]); break;
                case "bare" or "e2e" or "recompute" or "faults" or "reports" or "dashboard": commands.Add(a); break;
                case "--broker-cycles": o = o with { BrokerCycles = Int(1) }; break;
                case "--fault-seconds": o = o with { FaultSeconds = Int(1) }; break;
                case "-h" or "--help": o = o with { Help = true }; break;
                case "--rate":
                    o = o with
                    {
                        Rate = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0 && r <= 10_000
                            ? r : throw new ArgumentException("--rate: a number of changes per second, 0 < rate <= 10000"),
                    };
                    break;
                case "--seconds": o = o with { Seconds = Int(1), SecondsGiven = true }; break;
                case "--warmup-seconds": o = o with { WarmupSeconds = Int(0), WarmupGiven = true }; break;
                case "--grpc-seconds": o = o with { GrpcSeconds = Int(1) }; break;
                case "--callers": o = o with { Callers = Int(1) }; break;
                case "--idle": o = o with { IdleCount = Int(0) }; break;
                case "--sqlite": o = o with { Sqlite = true }; break;
                case "--keep-databases": o = o with { KeepDatabases = true }; break;
                case "--samples": o = o with { SamplesFile = Next() }; break;
                case "--bare-n": o = o with { BareCount = Int(1) }; break;
                case "--bare-warmup": o = o with { BareWarmup = Int(0) }; break;
                case "--no-raw": o = o with { Raw = false }; break;
                case "--recompute-n": o = o with { RecomputeCount = Int(1) }; break;
                case "--recompute-warmup": o = o with { RecomputeWarmup = Int(0) }; break;
                case "--rabbitmq": o = o with { RabbitMq = Next() }; break;
                case "--postgres": o = o with { Postgres = Next() }; break;
                default: throw new ArgumentException($"unknown argument '{a}'");
            }
        }
        if (commands.Count > 0) o = o with { Commands = commands.Distinct().ToList() };
        RequireLoopback(o);
        return o;
    }

    private static void RequireLoopback(BenchOptions o)
    {
        if (!Uri.TryCreate(o.RabbitMq, UriKind.Absolute, out var rabbit) || rabbit.Scheme != "amqp" || !IsLoopback(rabbit.Host))
            throw new ArgumentException($"--rabbitmq '{o.RabbitMq}': an amqp:// URL on 127.0.0.1 is required");
        NpgsqlConnectionStringBuilder pg;
        try { pg = new NpgsqlConnectionStringBuilder(o.Postgres); }
        catch (Exception ex) { throw new ArgumentException($"--postgres: {ex.Message}"); }
        if (!IsLoopback(pg.Host))
            throw new ArgumentException($"--postgres: Host must be 127.0.0.1 (got '{pg.Host}')");
    }

    private static bool IsLoopback(string? host) =>
        host is "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
