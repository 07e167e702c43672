using PerfPlatform.TestSupport;
using Xunit;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.EndToEndTests;

/// <summary>README's run command: every service in one process, SQLite, in-process bus, the 2023 plan loaded on first start.</summary>
public sealed class EmbeddedHostTests
{
    [Fact]
    public async Task The_embedded_platform_starts_with_the_2023_plan_loaded_and_scored()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "perf-embedded-tests", Guid.NewGuid().ToString("N"));
        await using var host = await HostProcess.StartAsync("embedded/Embedded.Host", new Dictionary<string, string>
        {
            ["DataDirectory"] = dataDir,
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["Objectives__SeedDocument"] = TestEnvironment.LecceRelazione2023,
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}",
        });
        var scoring = new ScoringV1.Scoring.ScoringClient(host.Channel);
        var card = await scoring.ScorecardWhenAsync(2023, c => c.Entity() is not null, "the seeded year scored");
        Assert.Equal(10, card.Areas.Count);
        Assert.Equal(55, card.Areas.Sum(a => a.StrategicObjectives.Count));
        Assert.Equal((99.58, 99.40), (card.Area(1), card.Entity()));
        Assert.Equal(2, card.Discrepancies.Count);

        // Breakdowns: every operational objective of the annex is under "Non assegnato" (the annex names no
        // sectors), each counted with its strategic objective's declared value.
        var bySector = await scoring.GetBreakdownAsync(new ScoringV1.GetBreakdownRequest { Year = 2023, Kind = ScoringV1.BreakdownKind.Sector });
        var unassigned = Assert.Single(bySector.Rows);
        Assert.Equal(("Non assegnato", 134, 134), (unassigned.Key, unassigned.OperationalObjectives, unassigned.Assessed));
        var byBes = await scoring.GetBreakdownAsync(new ScoringV1.GetBreakdownRequest { Year = 2023, Kind = ScoringV1.BreakdownKind.BesDimension });
        Assert.Contains(byBes.Rows, r => r.Key == "Ambientale" && r.OperationalObjectives > 10);
        Assert.Contains(byBes.Rows, r => r.Key == "Nessuna"); // 1.10, one of 1.15's and 8.4's carry no BES label
        Assert.True(File.Exists(Path.Combine(dataDir, "objectives.db")));
        Assert.True(File.Exists(Path.Combine(dataDir, "scoring.db")));
    }
}
