namespace PerfPlatform.Bench;

/// <summary>
/// CPU time (user + system, from /proc) of the processes an e2e run involves: the two hosts, the bench itself, and the
/// RabbitMQ and PostgreSQL servers. Divided by the number of changes it gives what one change costs each of them, the
/// figure that decides how much load two shared cores can take before queues build up.
/// </summary>
public sealed class CpuAccounting
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on
    private readonly IReadOnlyList<(string Name, Func<IEnumerable<int>> Pids)> _groups;
    private Dictionary<string, double>? _start;

    /// <param name="rabbitMqPort">The AMQP port of the broker in use: only the node listening on it is counted.</param>
    /// <param name="postgresPort">The port of the PostgreSQL server in use (0 with SQLite): its postmaster and backends only.</param>
    public CpuAccounting(int objectivesPid, int scoringPid, int rabbitMqPort, int postgresPort)
    {
        // By port, not by process name: other RabbitMQ and PostgreSQL servers on this machine (another engineer's tests)
        // are not this run's cost.
        var beam = ListeningPid(rabbitMqPort);
        var postmaster = postgresPort > 0 ? ListeningPid(postgresPort) : null;
        _groups =
        [
            ($"Objectives.Host (pid {objectivesPid})", () => [objectivesPid]),
            ($"Scoring.Host (pid {scoringPid})", () => [scoringPid]),
            ("bench (client)", () => [Environment.ProcessId]),
            ($"RabbitMQ (beam.smp{(beam is { } b ? $", pid {b}" : ": not found")})", () => beam is { } b ? [b] : []),
            ($"PostgreSQL (postmaster and backends{(postmaster is { } pm ? $", pid {pm}" : postgresPort > 0 ? ": not found" : ": none, SQLite")})",
                () => postmaster is { } pm ? [pm, .. ChildrenOf(pm)] : []),
        ];
    }

    /// <summary>The tiered-compilation threads of a process now: (thread id, CPU seconds so far).</summary>
    internal static IEnumerable<(int Tid, double Seconds)> JitThreads(int pid)
    {
        IEnumerable<string> tasks;
        try { tasks = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList(); }
        catch (IOException) { yield break; }
        catch (UnauthorizedAccessException) { yield break; }
        foreach (var t in tasks)
        {
            string comm;
            try { comm = File.ReadAllText(Path.Combine(t, "comm")).Trim(); }
            catch (IOException) { continue; }
            if (comm.StartsWith(".NET Tiered", StringComparison.Ordinal) && int.TryParse(Path.GetFileName(t), out var tid))
                yield return (tid, CpuSecondsOf(Path.Combine(t, "stat")));
        }
    }

    /// <summary>The process listening on 127.0.0.1:<paramref name="port"/> (IPv4), from /proc/net/tcp and the processes' sockets.</summary>
    public static int? ListeningPid(int port)
    {
        try
        {
            var hexPort = $":{port:X4}";
            var inodes = File.ReadLines("/proc/net/tcp").Skip(1)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length > 9 && f[1].EndsWith(hexPort, StringComparison.Ordinal) && f[3] == "0A") // 0A: LISTEN
                .Select(f => $"socket:[{f[9]}]").ToHashSet();
            if (inodes.Count == 0) return null;
            foreach (var pid in AllPids())
            {
                try
                {
                    if (Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                        return pid;
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        return null;
    }

    private static IEnumerable<int> AllPids() => Directory.EnumerateDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1).Where(pid => pid > 0);

    private static IEnumerable<int> ChildrenOf(int parent) => AllPids().Where(pid => ParentOf(pid) == parent);

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public static bool Available => OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    public void Start()
    {
        _start = Read();
        _machineStart = Machine();
    }

    private (double Busy, double Idle, double Steal) _machineStart;

    /// <summary>
    /// The whole machine over the phase, in CPU seconds from /proc/stat: busy (every process, the kernel included),
    /// idle, and stolen (time the hypervisor gave this VM's virtual CPUs to someone else), to tell a noisy run.
    /// </summary>
    public (double Busy, double Idle, double Steal) MachineSince()
    {
        var now = Machine();
        return (now.Busy - _machineStart.Busy, now.Idle - _machineStart.Idle, now.Steal - _machineStart.Steal);
    }

    internal static (double Busy, double Idle, double Steal) Machine()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal ...
            var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            return ((f[0] + f[1] + f[2] + f[5] + f[6]) / TicksPerSecond, (f[3] + f[4]) / TicksPerSecond, f[7] / TicksPerSecond);
        }
        catch (IOException) { return (0, 0, 0); }
    }

    /// <returns>(group, CPU seconds, ms of CPU per change), in a fixed order.</returns>
    public IReadOnlyList<(string Name, double Seconds, double MsPerChange)> Stop(int changes)
    {
        var end = Read();
        return _groups.Select(g =>
        {
            var seconds = end[g.Name] - (_start?.GetValueOrDefault(g.Name) ?? 0);
            return (g.Name, seconds, changes > 0 ? seconds * 1000 / changes : double.NaN);
        }).ToList();
    }

    private Dictionary<string, double> Read() => _groups.ToDictionary(g => g.Name, g => g.Pids().Sum(CpuSeconds));

    private static double CpuSeconds(int pid) => CpuSecondsOf($"/proc/{pid}/stat");

    private static double CpuSecondsOf(string statFile)
    {
        try
        {
            var stat = File.ReadAllText(statFile);
            // Fields after the command name, which is in parentheses and may contain spaces: utime is the 14th field overall.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }
}

/// <summary>
/// The CPU the hosts' JIT spends recompiling hot code in the background (tiered compilation). The runtime starts that
/// thread when there is work and lets it exit when idle, so one reading of /proc misses the threads that have gone:
/// this polls every 200 ms and keeps each thread's last figure.
/// </summary>
public sealed class JitMonitor : IAsyncDisposable
{
    private readonly int[] _pids;
    private readonly Dictionary<(int Pid, int Tid), double> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public JitMonitor(params int[] pids)
    {
        _pids = pids;
        _loop = CpuAccounting.Available ? Task.Run(LoopAsync) : Task.CompletedTask;
    }

    /// <summary>CPU seconds the JIT threads of the hosts have used since the monitor started (as of the last poll).</summary>
    public double Seconds { get { lock (_seen) return _seen.Values.Sum(); } }

    private async Task LoopAsync()
    {
        var baseline = new Dictionary<(int, int), double>();
        foreach (var pid in _pids)
            foreach (var (tid, seconds) in CpuAccounting.JitThreads(pid)) baseline[(pid, tid)] = seconds;
        while (!_stop.IsCancellationRequested)
        {
            foreach (var pid in _pids)
                foreach (var (tid, seconds) in CpuAccounting.JitThreads(pid))
                    lock (_seen) _seen[(pid, tid)] = seconds - baseline.GetValueOrDefault((pid, tid));
            try { await Task.Delay(200, _stop.Token); }
            catch (OperationCanceledException) { break; }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
