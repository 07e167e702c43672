using Xunit;

namespace PerfPlatform.EndToEndTests;

/// <summary>
/// The short version of issue 16's benchmark (the long one: `bash bench/run.sh dashboard`, docs/benchmarks.md): the same
/// command at 50 dashboards a second for 5 s and 2 s gRPC phases. It asserts only what does not depend on how busy the
/// machine is: the command starts and stops the platform, every dashboard answered with its figures, and the figures
/// (latency, CPU per request, GetScorecard beside the echo) are printed. Latency targets are the long run's to judge.
/// </summary>
public sealed class DashboardBenchTests
{
    [Fact]
    public async Task The_dashboard_bench_runs_start_to_end_without_an_error()
    {
        var (exitCode, text) = await BenchCommand.RunAsync("dashboard",
            "--rate", "50", "--seconds", "5", "--warmup-seconds", "2", "--grpc-seconds", "2", "--callers", "4");
        Assert.True(exitCode == 0, $"bench/run.sh dashboard exited {exitCode}:\n{text}");
        Assert.Contains("GET /?anno=2023 via gateway", text);
        Assert.Matches(@"verdict: dashboard p99 [0-9.]+ ms, 0 errors", text);
        Assert.Matches(@"GetScorecard \(BASIC\) / echo: direct [0-9.]+, through the gateway [0-9.]+", text);
        Assert.Matches(@"GetScorecard FULL / echo: direct [0-9.]+, through the gateway [0-9.]+", text);
        Assert.Matches(@"GetScorecard / the same reply from a bare server: direct [0-9.]+, through the gateway [0-9.]+", text);
        Assert.Contains("CPU ms per dashboard request:", text);
    }
}
