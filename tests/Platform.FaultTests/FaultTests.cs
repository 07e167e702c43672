using PerfPlatform.FaultHarness;
using Xunit;
using Xunit.Abstractions;

namespace PerfPlatform.FaultTests;

/// <summary>
/// The short version of the fault harness (the long one: `bash bench/run.sh faults`, ten broker cycles): two broker
/// cycles (stop_app/start_app, then a full node stop/start), Scoring killed, Scoring's database away, Objectives killed,
/// a poison row; under a steady 50 changes/s. Nothing accepted is lost, nothing applied twice, and the scorecard agrees
/// again after every fault.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Through_every_fault_nothing_accepted_is_lost_nothing_is_applied_twice_and_the_scorecard_agrees_again()
    {
        await using var harness = await FaultHarness.FaultHarness.StartAsync(output.WriteLine);
        // Short phases, to stay near 3 minutes in CI; the bench runs 10 s faults.
        var results = await harness.RunAllAsync(new FaultOptions
        {
            BrokerCycles = 2, LoadBefore = TimeSpan.FromSeconds(1), FaultFor = TimeSpan.FromSeconds(3), LoadAfter = TimeSpan.FromSeconds(1),
        }, CancellationToken.None);
        output.WriteLine(FaultHarness.FaultHarness.Table(results));
        Assert.All(results, r =>
        {
            Assert.True(r.Accepted > 0, $"{r.Name}: no change accepted");
            Assert.True(r.Lost == 0 && r.AppliedTwice == 0 && r.AgreedAfter is not null, FaultHarness.FaultHarness.Format(r));
        });
    }
}
