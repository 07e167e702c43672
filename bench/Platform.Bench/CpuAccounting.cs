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

    public CpuAccounting(int objectivesPid, int scoringPid)
    {
        _groups =
        [
            ($"Objectives.Host (pid {objectivesPid})", () => [objectivesPid]),
            ($"Scoring.Host (pid {scoringPid})", () => [scoringPid]),
            ("bench (client)", () => [Environment.ProcessId]),
            ("RabbitMQ (beam.smp)", () => ByName("beam.smp")),
            ("PostgreSQL (all backends)", () => ByName("postgres")),
        ];
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

    private static IEnumerable<int> ByName(string comm) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1)
            .Where(pid => pid > 0 && Comm(pid) == comm);

    private static string? Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may contain spaces: utime is the 14th field overall.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }
}
