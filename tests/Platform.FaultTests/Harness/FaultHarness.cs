using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Npgsql;
using PerfPlatform.TestSupport;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.FaultHarness;

/// <summary>How long each phase of a scenario lasts, and how many broker cycles to run.</summary>
public sealed record FaultOptions
{
    public int BrokerCycles { get; init; } = 2;
    public double Rate { get; init; } = 50;
    public TimeSpan LoadBefore { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan FaultFor { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan LoadAfter { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan AgreeWithin { get; init; } = TimeSpan.FromSeconds(60);
}

/// <param name="Accepted">SetRealization calls answered OK during the scenario.</param>
/// <param name="Lost">Strategic objectives whose last accepted value the scorecard never reached.</param>
/// <param name="AppliedTwice">PlanChanged events Scoring recalculated more than once (by causation id), new in this scenario.</param>
/// <param name="AgreedAfter">From the end of the fault until the scorecard agreed with every last accepted value; null: never.</param>
public sealed record ScenarioResult(string Name, int Accepted, int Refused, int Lost, int AppliedTwice, TimeSpan? AgreedAfter, string Note);

/// <summary>
/// Objectives and Scoring as real processes, each on its own PostgreSQL database, on a RabbitMQ node of the harness's
/// own; Scoring's database behind a TCP proxy so it can be made unreachable. The 2023 Lecce plan is imported, then each
/// scenario runs a steady load of SetRealization over gRPC, injects its fault, ends it, stops the load and waits for the
/// scorecard to hold every strategic objective's last accepted value.
/// </summary>
public sealed class FaultHarness : IAsyncDisposable
{
    private const int Year = 2023;
    private readonly Action<string> _log;
    private RabbitMqNode _rabbit = null!;
    private PostgresDatabase _objectivesDb = null!;
    private PostgresDatabase _scoringDb = null!;
    private TcpProxy _scoringDbProxy = null!;
    private int _objectivesPort;
    private int _scoringPort;
    private List<string> _codes = [];
    private HashSet<Guid> _causationsSeen = [];
    /// <summary>Per code, the values the scorecard may end on: the last accepted one, plus any sent later whose outcome is unknown.</summary>
    private readonly ConcurrentDictionary<string, HashSet<double>> _possible = new();

    public HostProcess Objectives { get; private set; } = null!;
    public HostProcess Scoring { get; private set; } = null!;

    private FaultHarness(Action<string> log) => _log = log;

    public static async Task<FaultHarness> StartAsync(Action<string> log)
    {
        var h = new FaultHarness(log);
        try { await h.InitializeAsync(); }
        catch
        {
            await h.DisposeAsync();
            throw;
        }
        return h;
    }

    private async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        _rabbit = await RabbitMqNode.StartAsync();
        _objectivesDb = await PostgresDatabase.CreateAsync("fault_objectives");
        _scoringDb = await PostgresDatabase.CreateAsync("fault_scoring");
        var pg = new NpgsqlConnectionStringBuilder(_scoringDb.ConnectionString);
        _scoringDbProxy = new TcpProxy(pg.Port);
        _objectivesPort = TestEnvironment.FreeTcpPort();
        _scoringPort = TestEnvironment.FreeTcpPort();
        Objectives = await StartObjectivesAsync();
        Scoring = await StartScoringAsync();
        _log($"RabbitMQ node on :{_rabbit.Port}, hosts serving after {watch.Elapsed.TotalSeconds:F1} s");

        var objectives = new ObjectivesV1.Objectives.ObjectivesClient(Objectives.Channel);
        await objectives.ImportDocumentAsync(new ObjectivesV1.ImportDocumentRequest
        {
            Content = ByteString.CopyFromUtf8(LecceDocuments.Relazione2023), Format = ObjectivesV1.DocumentFormat.RelazioneText, FileName = "relazione.txt",
        });
        var tree = await objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = Year });
        // Those whose own value is their score (no assessed operational objective under them).
        var chosen = tree.Areas.SelectMany(a => a.StrategicObjectives)
            .Where(s => !s.OperationalObjectives.Any(o => o.Realization?.KindCase == ObjectivesV1.Realization.KindOneofCase.Value)
                        && s.Realization?.KindCase == ObjectivesV1.Realization.KindOneofCase.Value)
            .ToList();
        _codes = chosen.Select(s => s.Code).ToList();
        foreach (var s in chosen) _possible[s.Code] = [s.Realization.Value];
        var agreed = await WaitForAgreementAsync(TimeSpan.FromSeconds(60));
        if (agreed is null) throw new InvalidOperationException($"Scoring never agreed with the imported plan:\n{Scoring.Output}");
        _causationsSeen = (await CausationsAsync()).Distinct().ToHashSet();
        _log($"imported {Year}: {_codes.Count} strategic objectives under load; scorecard agreed after {watch.Elapsed.TotalSeconds:F1} s");
    }

    private Task<HostProcess> StartObjectivesAsync() => HostProcess.StartAsync("services/Objectives/Objectives.Host", new Dictionary<string, string>
    {
        ["ConnectionStrings__ObjectivesDb"] = _objectivesDb.ConnectionString,
        ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
        ["ConnectionStrings__RabbitMq"] = _rabbit.Url,
        ["Outbox__MaxAttempts"] = "3",
    }, _objectivesPort);

    private Task<HostProcess> StartScoringAsync()
    {
        var db = new NpgsqlConnectionStringBuilder(_scoringDb.ConnectionString) { Port = _scoringDbProxy.Port, Pooling = true };
        return HostProcess.StartAsync("services/Scoring/Scoring.Host", new Dictionary<string, string>
        {
            ["ConnectionStrings__ScoringDb"] = db.ConnectionString,
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["ConnectionStrings__RabbitMq"] = _rabbit.Url,
            ["Services__Objectives"] = $"http://127.0.0.1:{_objectivesPort}",
            ["Reconciliation__Interval"] = "00:00:05",
        }, _scoringPort);
    }

    /// <summary>Every scenario of the issue, broker cycles alternating stop_app/start_app and a full node stop/start.</summary>
    public async Task<List<ScenarioResult>> RunAllAsync(FaultOptions options, CancellationToken ct)
    {
        var results = new List<ScenarioResult>();
        for (var i = 1; i <= options.BrokerCycles; i++)
        {
            var full = i % 2 == 0;
            results.Add(await RunAsync(full ? $"broker node stop/start #{i}" : $"broker stop_app/start_app #{i}", options,
                fault: async () =>
                {
                    if (full) await _rabbit.StopNodeAsync(); else await _rabbit.StopAppAsync();
                    await Task.Delay(options.FaultFor, ct);
                    if (full) await _rabbit.StartNodeAsync(); else await _rabbit.StartAppAsync();
                    return "";
                }, ct));
        }
        results.Add(await RunAsync("Scoring SIGKILL, restarted", options, async () =>
        {
            await Scoring.KillAsync();
            await Scoring.DisposeAsync();
            await Task.Delay(options.FaultFor, ct);
            Scoring = await StartScoringAsync();
            return "";
        }, ct));
        results.Add(await RunAsync("Scoring's database unreachable", options, async () =>
        {
            _scoringDbProxy.Set(ProxyMode.Refuse);
            await Task.Delay(options.FaultFor, ct);
            _scoringDbProxy.Set(ProxyMode.Forward);
            return "";
        }, ct));
        results.Add(await RunAsync("Objectives SIGKILL, restarted", options, async () =>
        {
            await Objectives.KillAsync();
            await Objectives.DisposeAsync();
            await Task.Delay(options.FaultFor, ct);
            Objectives = await StartObjectivesAsync();
            return "";
        }, ct));
        results.Add(await RunAsync("events lost (Scoring's queue purged while it is down), a strategic objective deleted", options, async () =>
        {
            await Scoring.KillAsync();
            await Scoring.DisposeAsync();
            var note = await DeleteOneStrategicObjectiveAsync();
            await Task.Delay(options.FaultFor, ct);
            // Only the reconciler can bring these back: Objectives' state is the copy that remains.
            await _rabbit.PurgeQueueAsync("scoring.plan-changed");
            Scoring = await StartScoringAsync();
            return note;
        }, ct));
        results.Add(await RunAsync("poison row in Objectives' outbox", options, async () =>
        {
            var id = await InsertPoisonRowAsync();
            var watch = Stopwatch.StartNew();
            var dead = await Probe.UntilAsync(() => DeadLetteredAsync(id), d => d, "the poison row dead-lettered", TimeSpan.FromSeconds(60));
            return $"dead-lettered after {watch.Elapsed.TotalSeconds:F1} s";
        }, ct));
        return results;
    }

    private async Task<ScenarioResult> RunAsync(string name, FaultOptions options, Func<Task<string>> fault, CancellationToken ct)
    {
        _log($"-- {name}");
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var load = new Load(this, options.Rate);
        var running = load.RunAsync(stopLoad.Token);
        await Task.Delay(options.LoadBefore, ct);
        var note = await fault();
        var faultEnded = Stopwatch.GetTimestamp();
        await Task.Delay(options.LoadAfter, ct);
        await stopLoad.CancelAsync();
        await running;
        var agreedAt = await WaitForAgreementAsync(options.AgreeWithin);
        List<string> lost;
        try { lost = agreedAt is null ? await DisagreeingAsync() : []; }
        catch (RpcException ex)
        {
            _log($"Scoring does not answer ({ex.Status.StatusCode}); its output:\n{Tail(Scoring.Output)}\nObjectives' output:\n{Tail(Objectives.Output)}");
            lost = [.. _codes];
        }
        if (agreedAt is null) _log($"no agreement; Scoring's output:\n{Tail(Scoring.Output)}");
        var causations = await CausationsAsync();
        var twice = causations.GroupBy(c => c).Count(g => g.Count() > 1 && !_causationsSeen.Contains(g.Key));
        foreach (var c in causations) _causationsSeen.Add(c);
        var result = new ScenarioResult(name, load.Accepted, load.Refused, lost.Count, twice,
            agreedAt is { } at ? Stopwatch.GetElapsedTime(faultEnded, at) : null,
            string.Join("; ", new[] { note, lost.Count > 0 ? $"disagreeing: {string.Join(", ", lost.Take(5))}" : "" }.Where(s => s.Length > 0)));
        _log($"   {Format(result)}");
        return result;
    }

    /// <summary>A steady open-loop load: call i is due at i/rate; a code whose previous call has not answered is skipped.</summary>
    private sealed class Load(FaultHarness h, double rate)
    {
        private readonly ConcurrentDictionary<string, bool> _busy = new();
        private int _accepted, _refused;
        public int Accepted => _accepted;
        public int Refused => _refused;

        public async Task RunAsync(CancellationToken ct)
        {
            var client = new ObjectivesV1.Objectives.ObjectivesClient(h.Objectives.Channel);
            var calls = new List<Task>();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; !ct.IsCancellationRequested; i++)
            {
                var due = TimeSpan.FromSeconds(i / rate) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    try { await Task.Delay(due, ct); }
                    catch (OperationCanceledException) { break; }
                }
                var code = h._codes[i % h._codes.Count];
                if (!_busy.TryAdd(code, true)) continue;
                // The client of the current process: Objectives may have been restarted.
                if (client is null || h.Objectives.Channel != _channel) { _channel = h.Objectives.Channel; client = new ObjectivesV1.Objectives.ObjectivesClient(_channel); }
                var value = Math.Round(90 + (i % 1000) / 100.0, 2);
                calls.Add(CallAsync(client, code, value));
            }
            await Task.WhenAll(calls);
        }

        private Grpc.Net.Client.GrpcChannel? _channel;

        private async Task CallAsync(ObjectivesV1.Objectives.ObjectivesClient client, string code, double value)
        {
            var possible = h._possible[code];
            lock (possible) possible.Add(value); // unknown until answered
            try
            {
                await client.SetRealizationAsync(new ObjectivesV1.SetRealizationRequest
                {
                    StrategicObjective = new ObjectivesV1.StrategicObjectiveRef { Year = Year, Code = code },
                    Realization = new ObjectivesV1.Realization { Value = value }, AsOf = "2023-12-31", Note = "fault harness",
                }, deadline: DateTime.UtcNow.AddSeconds(10));
                lock (possible)
                {
                    possible.Clear();
                    possible.Add(value);
                }
                Interlocked.Increment(ref _accepted);
            }
            catch (Exception ex) when (ex is ObjectDisposedException // the process was killed and its channel disposed
                || (ex is RpcException rpc && rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled))
            {
                Interlocked.Increment(ref _refused); // not accepted; it may still have committed, so the value stays possible
            }
            finally
            {
                _busy.TryRemove(code, out _);
            }
        }
    }

    /// <summary>Polls the scorecard until every code holds one of its possible values; returns when (a Stopwatch timestamp), or null.</summary>
    private async Task<long?> WaitForAgreementAsync(TimeSpan within)
    {
        try
        {
            await Probe.UntilAsync(async () => (await DisagreeingAsync()).Count, n => n == 0, "the scorecard to agree", within);
            return Stopwatch.GetTimestamp();
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private async Task<List<string>> DisagreeingAsync()
    {
        var scoring = new ScoringV1.Scoring.ScoringClient(Scoring.Channel);
        var card = await scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = Year }, deadline: DateTime.UtcNow.AddSeconds(5));
        var scores = card.Areas.SelectMany(a => a.StrategicObjectives).ToDictionary(s => s.Code, s => s.Computed?.HasValue == true ? s.Computed.Value : (double?)null);
        var ghosts = _deleted.Where(scores.ContainsKey).Select(c => $"{c} (deleted, still scored)");
        return ghosts.Concat(_codes.Where(code =>
        {
            var possible = _possible[code];
            lock (possible)
                return scores.GetValueOrDefault(code) is not { } v || !possible.Any(p => Math.Abs(p - v) < 0.001);
        })).ToList();
    }

    /// <summary>The causation (PlanChanged event id) of every ScoresRecalculated Scoring has committed.</summary>
    private async Task<List<Guid>> CausationsAsync()
    {
        await using var conn = new NpgsqlConnection(_scoringDb.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""SELECT "Payload" FROM outbox_messages WHERE "Type" LIKE '%ScoresRecalculated%'""", conn);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var json = JsonDocument.Parse(reader.GetString(0));
            ids.Add(json.RootElement.GetProperty("causationId").GetGuid());
        }
        return ids;
    }

    /// <summary>Deletes a strategic objective under load (taken out of the load first); the scorecard must then lose it too.</summary>
    private async Task<string> DeleteOneStrategicObjectiveAsync()
    {
        var code = _codes[^1];
        _codes = _codes.Take(_codes.Count - 1).ToList();
        var objectives = new ObjectivesV1.Objectives.ObjectivesClient(Objectives.Channel);
        try
        {
            await objectives.DeleteStrategicObjectiveAsync(new ObjectivesV1.DeleteStrategicObjectiveRequest { Year = Year, Code = code });
            _deleted.Add(code);
            return $"{code} deleted while the events were lost";
        }
        catch (RpcException ex)
        {
            return $"could not delete {code}: {ex.Status.Detail}";
        }
    }

    private readonly List<string> _deleted = [];

    private async Task<Guid> InsertPoisonRowAsync()
    {
        var id = Guid.NewGuid();
        await using var conn = new NpgsqlConnection(_objectivesDb.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            """INSERT INTO outbox_messages ("MessageId", "Type", "Payload", "OccurredAt", "Attempts") VALUES (@id, 'PerfPlatform.IntegrationEvents.Unknown, PerfPlatform.Nowhere', '{}', now(), 0)""", conn);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync();
        return id;
    }

    private async Task<bool> DeadLetteredAsync(Guid id)
    {
        await using var conn = new NpgsqlConnection(_objectivesDb.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""SELECT count(*) FROM outbox_dead_letters WHERE "MessageId" = @id""", conn);
        cmd.Parameters.AddWithValue("id", id);
        return (long)(await cmd.ExecuteScalarAsync())! == 1;
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(60));

    public static string Format(ScenarioResult r) =>
        $"{r.Name}: accepted {r.Accepted}, refused {r.Refused}, lost {r.Lost}, applied twice {r.AppliedTwice}, " +
        $"agreed {(r.AgreedAfter is { } t ? $"{t.TotalSeconds:F1} s after the fault ended" : "NEVER")}{(r.Note.Length > 0 ? $" ({r.Note})" : "")}";

    /// <summary>The results as the Markdown table kept in docs/reliability.md.</summary>
    public static string Table(IEnumerable<ScenarioResult> results)
    {
        var lines = new List<string>
        {
            "| scenario | changes accepted | refused (not accepted) | lost | applied twice | scorecard agrees after the fault ended | note |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        };
        lines.AddRange(results.Select(r =>
            $"| {r.Name} | {r.Accepted} | {r.Refused} | {r.Lost} | {r.AppliedTwice} | {(r.AgreedAfter is { } t ? $"{t.TotalSeconds:F1} s" : "never")} | {r.Note} |"));
        return string.Join(Environment.NewLine, lines);
    }

    public async ValueTask DisposeAsync()
    {
        if (Scoring is not null) await Scoring.DisposeAsync();
        if (Objectives is not null) await Objectives.DisposeAsync();
        if (_scoringDbProxy is not null) await _scoringDbProxy.DisposeAsync();
        if (_rabbit is not null) await _rabbit.DisposeAsync();
        if (_objectivesDb is not null) await _objectivesDb.DisposeAsync();
        if (_scoringDb is not null) await _scoringDb.DisposeAsync();
    }
}
