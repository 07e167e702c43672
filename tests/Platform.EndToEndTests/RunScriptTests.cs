using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using PerfPlatform.TestSupport;
using Xunit;

namespace PerfPlatform.EndToEndTests;

/// <summary>
/// README's run command, <c>bash scripts/run.sh</c>: it serves the portal through the gateway, and a Ctrl-C, a
/// <c>kill</c> or a closed terminal stops every process it started, not only the script.
/// <para>
/// Alone (no other test of this assembly runs meanwhile): the test then checks that run.sh's ports are free again, and a
/// test starting its own hosts could otherwise be handed one of those ports the moment run.sh's process let it go.
/// </para>
/// </summary>
[Collection(nameof(RunScriptTests))]
public sealed class RunScriptTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    [InlineData("HUP")]
    public async Task The_run_script_stops_everything_it_started_on(string signal)
    {
        var ports = new RunScriptPorts();
        var dataDir = Path.Combine(Path.GetTempPath(), "perf-run-script-tests", Guid.NewGuid().ToString("N"));
        // As from a terminal: a test run started in the background (as CI may be) inherits SIGINT ignored, and bash
        // cannot trap a signal ignored on entry, so the script starts with the signals at their defaults.
        var info = new ProcessStartInfo("env", ["--default-signal=INT,TERM,HUP", "bash", "scripts/run.sh"])
        {
            WorkingDirectory = TestEnvironment.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PERF_RUN_NO_BUILD"] = "1"; // the test project's references built them
        ports.ApplyTo(info);
        info.Environment["PERF_RUN_DATA_DIR"] = dataDir;

        var output = new StringBuilder();
        using var script = Process.Start(info)!;
        script.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        script.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        var started = new List<int>();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            // The message read under the lock, only when needed: the processes are still writing to it.
            string Output() { lock (output) return output.ToString(); }
            try
            {
                await Probe.UntilAsync(
                    async () => (int)(await http.GetAsync($"http://127.0.0.1:{ports.Http}/")).StatusCode,
                    // 401: the portal answered after asking the services, which refuse an anonymous look at the unpublished 2023.
                    status => status is 200 or 401 || script.HasExited, "the portal through the gateway", TimeSpan.FromSeconds(300)); // a loaded CI machine starts slowly
            }
            catch (TimeoutException ex)
            {
                Assert.Fail($"{ex.Message}\nrun.sh's output:\n{Output()}");
            }
            if (script.HasExited) Assert.Fail($"run.sh exited early:\n{Output()}");

            started = Descendants(script.Id);
            // Four dotnet run launchers, their four apps, and the log filters.
            Assert.True(started.Count >= 8, $"expected the launchers and their apps under run.sh, found {started.Count}");

            Send(signal, script.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await script.WaitForExitAsync(timeout.Token);

            var survivors = await Probe.UntilAsync(
                () => Task.FromResult(started.Where(IsRunning).ToList()), s => s.Count == 0,
                $"every process run.sh started to end after SIG{signal}", TimeSpan.FromSeconds(15));
            Assert.Empty(survivors);
            foreach (var port in ports.All)
                Assert.False(Listening(port), $"port {port} still served after SIG{signal}: {Listener(port)}");
        }
        finally
        {
            foreach (var pid in started.Where(IsRunning)) Send("KILL", pid);
            if (!script.HasExited) script.Kill(entireProcessTree: true);
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void Send(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-s", signal, pid.ToString()])!;
        kill.WaitForExit();
    }

    /// <summary>Every process below <paramref name="pid"/>, from /proc's children lists.</summary>
    private static List<int> Descendants(int pid)
    {
        var found = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.TryDequeue(out var parent))
            foreach (var task in Directory.Exists($"/proc/{parent}/task") ? Directory.GetDirectories($"/proc/{parent}/task") : [])
            {
                string children;
                try { children = File.ReadAllText(Path.Combine(task, "children")); }
                catch (IOException) { continue; }
                foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
                {
                    found.Add(child);
                    queue.Enqueue(child);
                }
            }
        return found;
    }

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException) { return false; }
    }

    /// <summary>Who holds the port, for the failure message.</summary>
    private static string Listener(int port)
    {
        try
        {
            using var ss = Process.Start(new ProcessStartInfo("ss", ["-ltnpH", $"sport = :{port}"]) { RedirectStandardOutput = true })!;
            var text = ss.StandardOutput.ReadToEnd();
            ss.WaitForExit();
            return text.Trim();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "(ss not available)";
        }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException) { return false; }
    }
}

[CollectionDefinition(nameof(RunScriptTests), DisableParallelization = true)]
public sealed class RunScriptCollection;
