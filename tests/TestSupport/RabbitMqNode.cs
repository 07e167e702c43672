using System.Diagnostics;

namespace PerfPlatform.TestSupport;

/// <summary>
/// A RabbitMQ node of a test's own (Debian's rabbitmq-server, as scripts/test-env.sh runs it), for tests that stop the
/// broker: <c>rabbitmqctl stop_app</c> / <c>start_app</c>, or a full stop and start of the node on the same data
/// directory (durable queues survive). The shared test broker is never touched. epmd is left running (it is shared).
/// </summary>
public sealed class RabbitMqNode : IAsyncDisposable
{
    private const string Bin = "/usr/lib/rabbitmq/bin";
    private readonly string _dir;
    private readonly string _node;
    private readonly int _distPort;
    public int Port { get; }
    public string Url => $"amqp://guest:guest@127.0.0.1:{Port}/";

    private RabbitMqNode(string dir, int port, int distPort)
    {
        _dir = dir;
        Port = port;
        _distPort = distPort;
        _node = $"perffault{port}@localhost";
    }

    public static async Task<RabbitMqNode> StartAsync()
    {
        if (!File.Exists($"{Bin}/rabbitmq-server"))
            throw new InvalidOperationException("rabbitmq-server is not installed (bash scripts/install-deps.sh)");
        var node = new RabbitMqNode(Directory.CreateTempSubdirectory("perf-fault-rmq-").FullName, TestEnvironment.FreeTcpPort(), TestEnvironment.FreeTcpPort());
        Directory.CreateDirectory(Path.Combine(node._dir, "mnesia"));
        Directory.CreateDirectory(Path.Combine(node._dir, "log"));
        await File.WriteAllTextAsync(Path.Combine(node._dir, "plugins"), "[].");
        await File.WriteAllTextAsync(Path.Combine(node._dir, "rabbitmq.conf"), "");
        await File.WriteAllTextAsync(Path.Combine(node._dir, "advanced.config"), "[].");
        await File.WriteAllTextAsync(Path.Combine(node._dir, "rabbitmq-env.conf"), "");
        await node.StartNodeAsync();
        return node;
    }

    /// <summary>Starts the node (again) and waits until its AMQP port answers.</summary>
    public async Task StartNodeAsync()
    {
        // Detached (its own session), its output to a file: not the test's.
        var info = Info("/bin/sh", "-c", $"exec setsid -f {Bin}/rabbitmq-server >>'{Path.Combine(_dir, "out.log")}' 2>&1 </dev/null");
        using (var p = Process.Start(info)!) await p.WaitForExitAsync();
        await Probe.UntilAsync(() => CtlAsync(15, "rabbitmq-diagnostics", "-q", "ping"), ok => ok, "the RabbitMQ node to answer", TimeSpan.FromSeconds(90));
        await RequireAsync(90, "rabbitmqctl", "-q", "await_startup", "--timeout", "80");
    }

    /// <summary>Stops the whole node (the Erlang VM exits).</summary>
    public Task StopNodeAsync() => RequireAsync(60, "rabbitmqctl", "-q", "stop");

    /// <summary>Stops the broker application, the node staying up: connections are closed, the port refuses.</summary>
    public Task StopAppAsync() => RequireAsync(60, "rabbitmqctl", "-q", "stop_app");

    public Task StartAppAsync() => RequireAsync(60, "rabbitmqctl", "-q", "start_app");

    /// <summary>Drops every message waiting in a queue: events lost, as a message left in an error queue would be.</summary>
    public Task PurgeQueueAsync(string queue) => RequireAsync(60, "rabbitmqctl", "-q", "purge_queue", queue);

    private async Task RequireAsync(int seconds, string tool, params string[] args)
    {
        if (!await CtlAsync(seconds, tool, args)) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed on {_node}");
    }

    private async Task<bool> CtlAsync(int seconds, string tool, params string[] args)
    {
        var info = Info($"{Bin}/{tool}", ["-n", _node, .. args]);
        using var p = Process.Start(info)!;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await Task.WhenAll(p.StandardOutput.ReadToEndAsync(limit.Token), p.StandardError.ReadToEndAsync(limit.Token), p.WaitForExitAsync(limit.Token));
            return p.ExitCode == 0;
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return false;
        }
    }

    private ProcessStartInfo Info(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        var env = info.Environment;
        env["HOME"] = _dir;
        env["RABBITMQ_NODENAME"] = _node;
        env["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        env["RABBITMQ_NODE_PORT"] = Port.ToString();
        env["RABBITMQ_DIST_PORT"] = _distPort.ToString();
        env["RABBITMQ_MNESIA_BASE"] = Path.Combine(_dir, "mnesia");
        env["RABBITMQ_LOG_BASE"] = Path.Combine(_dir, "log");
        env["RABBITMQ_PID_FILE"] = Path.Combine(_dir, "rabbitmq.pid");
        env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_dir, "plugins");
        env["RABBITMQ_CONFIG_FILE"] = Path.Combine(_dir, "rabbitmq");
        env["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_dir, "advanced.config");
        env["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_dir, "rabbitmq-env.conf");
        env["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
        return info;
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(_dir, "rabbitmq.pid");
        var pid = File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var p) ? p : (int?)null;
        await CtlAsync(30, "rabbitmqctl", "-q", "stop");
        if (pid is { } id)
        {
            try
            {
                using var process = Process.GetProcessById(id);
                if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException) { } // already gone
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
