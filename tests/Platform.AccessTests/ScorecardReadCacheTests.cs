extern alias scoring;
using Grpc.Core;
using Xunit;
using ScorecardReadCache = scoring::PerfPlatform.Scoring.Application.ScorecardReadCache;

namespace PerfPlatform.AccessTests;

/// <summary>
/// Scoring's kept GetScorecard answers (here, beside Scoring's access tests, the one test project that builds against
/// Scoring.Service): served while nothing changed, never after a change, never past their age limit.
/// </summary>
public sealed class ScorecardReadCacheTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void An_answer_is_served_until_its_year_changes()
    {
        var cache = new ScorecardReadCache(new Clock());
        var answer = new object();
        cache.Keep(2023, 0, cache.Generation(2023), answer);
        Assert.Same(answer, cache.Find(2023, 0));
        Assert.Null(cache.Find(2023, 1)); // another period: its own answer
        Assert.Null(cache.Find(2024, 0));

        cache.Invalidate(2024); // another year changed
        Assert.Same(answer, cache.Find(2023, 0));

        cache.Invalidate(2023);
        Assert.Null(cache.Find(2023, 0));
    }

    [Fact]
    public void An_answer_built_across_a_change_is_never_served()
    {
        var cache = new ScorecardReadCache(new Clock());
        var generation = cache.Generation(2023); // taken before the read
        cache.Invalidate(2023);                   // a change commits while the answer is being built
        cache.Keep(2023, 0, generation, new object());
        Assert.Null(cache.Find(2023, 0));
    }

    [Fact]
    public void An_answer_is_not_served_past_its_age_limit()
    {
        var clock = new Clock();
        var cache = new ScorecardReadCache(clock);
        var refusal = new Status(StatusCode.NotFound, "year '2030' not found");
        cache.Keep(2030, 0, cache.Generation(2030), refusal);
        clock.Now += ScorecardReadCache.MaxAge / 2;
        Assert.Equal(refusal, cache.Find(2030, 0));
        clock.Now += ScorecardReadCache.MaxAge;
        Assert.Null(cache.Find(2030, 0));
    }
}
