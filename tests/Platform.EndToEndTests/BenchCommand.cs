using System.Diagnostics;
using System.Text;
using PerfPlatform.TestSupport;

namespace PerfPlatform.EndToEndTests;

/// <summary>Runs <c>bash bench/run.sh ARGS</c> from the repository root, as a person would; returns its exit code and output.</summary>
internal static class BenchCommand
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var info = new ProcessStartInfo("env", ["--default-signal=INT,TERM,HUP", "bash", "bench/run.sh", .. args])
        {
            WorkingDirectory = TestEnvironment.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // This project's references built the bench and the hosts; in Release the script uses them as they are.
        if (configuration == "Release") info.Environment["PERF_BENCH_NO_BUILD"] = "1";
        var output = new StringBuilder();
        using var bench = Process.Start(info)!;
        bench.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        bench.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        bench.BeginOutputReadLine();
        bench.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8)); // a loaded CI machine starts the platform slowly
        try { await bench.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            using (var stop = Process.Start("kill", ["-s", "TERM", bench.Id.ToString()])!) stop.WaitForExit();
            await bench.WaitForExitAsync(CancellationToken.None);
        }
        lock (output) return (bench.ExitCode, output.ToString());
    }
}
