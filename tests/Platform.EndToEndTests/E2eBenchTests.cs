using Xunit;

namespace PerfPlatform.EndToEndTests;

/// <summary>
/// The short version of issue 13's benchmark (the long one: `bash bench/run.sh e2e`, docs/benchmarks.md): the same
/// command, Objectives and Scoring as separate processes on PostgreSQL and RabbitMQ, at 50 changes a second for 5 s. It
/// asserts what does not depend on how busy the machine is: every change of the warm-up, the lead-in and the measured
/// phase arrived on the stream as its Recalculation, none failed, and the figures are printed. The latency targets are
/// the long run's to judge.
/// </summary>
public sealed class E2eBenchTests
{
    [Fact]
    public async Task The_e2e_bench_runs_start_to_end_and_every_change_arrives()
    {
        var (exitCode, text) = await BenchCommand.RunAsync("e2e",
            "--rate", "50", "--seconds", "5", "--warmup-seconds", "3", "--idle", "5", "--bare-n", "300", "--no-raw");
        Assert.True(exitCode == 0, $"bench/run.sh e2e exited {exitCode}:\n{text}");
        Assert.Matches(@"warm-up: 150 changes, e2e p50 [0-9.]+ ms p99 [0-9.]+ ms, lost 0, failed 0", text);
        Assert.Matches(@"lead-in: 150 changes, e2e p50 [0-9.]+ ms p99 [0-9.]+ ms, lost 0, failed 0", text);
        Assert.Contains("scheduled 250 changes at 50/s", text);
        Assert.Contains("answered 250, failed 0", text);
        Assert.Contains("every change recalculated (lost 0, failed 0): PASS", text);
        Assert.Matches(@"all of the above +[0-9.]+ +[0-9.]+", text);
        Assert.DoesNotContain("WARNING", text);
    }
}
