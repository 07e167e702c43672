extern alias reportingservice;
using PerfPlatform.Reporting.Domain;
using PerfPlatform.Reporting.Rendering;
using Xunit;
using ReportCache = reportingservice::PerfPlatform.Reporting.Application.ReportCache;

namespace PerfPlatform.Reporting.Tests;

/// <summary>Reporting's kept renderings: made once per year, format and versions, also when requests arrive together.</summary>
public sealed class ReportCacheTests
{
    private static Annex Annex(long planVersion, long scoresVersion) => new(
        new AnnexPlan("Città di Lecce", 2019, 2024, 2023, planVersion, Figure.None, []),
        AnnexScores.NotYetScored with { Version = scoresVersion },
        new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Requests_that_arrive_together_share_one_rendering()
    {
        var renderings = 0;
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var cache = new ReportCache((annex, format) =>
        {
            Interlocked.Increment(ref renderings);
            started.Set();
            release.Wait(TimeSpan.FromSeconds(10));
            return [1, 2, 3];
        });
        var annex = Annex(3, 5);

        var first = Task.Run(() => cache.Get(annex, ReportFormat.Pdf));
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)));
        var others = Enumerable.Range(0, 4).Select(_ => Task.Run(() => cache.Get(annex, ReportFormat.Pdf))).ToList();
        await Task.Delay(200); // the others are waiting on the rendering in progress, not starting their own
        release.Set();
        var results = await Task.WhenAll(others.Prepend(first));

        Assert.Equal(1, renderings);
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public void A_new_version_renders_again_and_a_failed_rendering_is_not_kept()
    {
        var renderings = 0;
        var fail = true;
        var cache = new ReportCache((annex, format) =>
        {
            Interlocked.Increment(ref renderings);
            if (fail) throw new InvalidOperationException("renderer failed");
            return [(byte)annex.Scores.Version];
        });

        Assert.Throws<InvalidOperationException>(() => cache.Get(Annex(3, 5), ReportFormat.Csv));
        fail = false;
        Assert.Equal([5], cache.Get(Annex(3, 5), ReportFormat.Csv)); // tried again, not the kept failure
        Assert.Equal([5], cache.Get(Annex(3, 5), ReportFormat.Csv));
        Assert.Equal(2, renderings);

        Assert.Equal([6], cache.Get(Annex(3, 6), ReportFormat.Csv)); // the scores moved
        Assert.Equal([6], cache.Get(Annex(3, 6), ReportFormat.Json));
        Assert.Equal(4, renderings); // another format: its own rendering
    }
}
