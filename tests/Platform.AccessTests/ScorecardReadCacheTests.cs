extern alias scoring;
using Google.Protobuf;
using Grpc.Core;
using Xunit;
using ScorecardReadCache = scoring::PerfPlatform.Scoring.Application.ScorecardReadCache;
using V1 = scoring::PerfPlatform.Scoring.V1;

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
        cache.Keep(2023, 0, 0, cache.Generation(2023), answer);
        Assert.Same(answer, cache.Find(2023, 0, 0));
        Assert.Null(cache.Find(2023, 1, 0)); // another period: its own answer
        Assert.Null(cache.Find(2023, 0, 1)); // another view: its own answer
        Assert.Null(cache.Find(2024, 0, 0));

        cache.Invalidate(2024); // another year changed
        Assert.Same(answer, cache.Find(2023, 0, 0));

        cache.Invalidate(2023);
        Assert.Null(cache.Find(2023, 0, 0));
    }

    [Fact]
    public void An_answer_built_across_a_change_is_never_served()
    {
        var cache = new ScorecardReadCache(new Clock());
        var generation = cache.Generation(2023); // taken before the read
        cache.Invalidate(2023);                   // a change commits while the answer is being built
        cache.Keep(2023, 0, 0, generation, new object());
        Assert.Null(cache.Find(2023, 0, 0));
    }

    [Fact]
    public void An_answer_is_not_served_past_its_age_limit()
    {
        var clock = new Clock();
        var cache = new ScorecardReadCache(clock);
        var refusal = new Status(StatusCode.NotFound, "year '2030' not found");
        cache.Keep(2030, 0, 0, cache.Generation(2030), refusal);
        clock.Now += ScorecardReadCache.MaxAge / 2;
        Assert.Equal(refusal, cache.Find(2030, 0, 0));
        clock.Now += ScorecardReadCache.MaxAge;
        Assert.Null(cache.Find(2030, 0, 0));
    }

    [Fact]
    public void A_kept_answer_is_written_as_the_same_bytes()
    {
        var card = new V1.Scorecard
        {
            Year = 2023, EntityLevel = new V1.Score { Value = 99.4 }, DeclaredEntityLevel = new V1.Score { Value = 99.39 },
            HasDeclaredEntityLevel = true, Version = 12, Period = V1.Period.Final,
        };
        for (var a = 1; a <= 3; a++)
        {
            var area = new V1.AreaScore { Number = a, Name = $"Area {a}: città più sostenibile", Computed = new V1.Score { Value = 90 + a } };
            area.StrategicObjectives.Add(new V1.StrategicObjectiveScore { Code = $"{a}.1", Title = "Qualità della vita e perché", Computed = new V1.Score() });
            area.StrategicObjectives.Add(new V1.StrategicObjectiveScore { Code = $"{a}.2", Title = "Mobilità", Computed = new V1.Score { Value = 100 } });
            card.Areas.Add(area);
        }
        var discrepancy = new V1.Discrepancy
        {
            Level = V1.ScoreLevel.Area, Key = "1", Label = "Area 1", Declared = new V1.Score { Value = 99.52 },
            Calculation = new V1.Calculation { Year = 2023, Level = V1.ScoreLevel.Area, Key = "1", Rule = V1.CalculationRule.MeanOfAssessed },
        };
        discrepancy.Calculation.Inputs.Add(new V1.CalculationInput { Key = "1.1", Label = "Qualità", Value = new V1.Score { Value = 100 }, Weight = 1, Included = true });
        discrepancy.Causes.Add(new V1.DiscrepancyExplanation { Cause = V1.DiscrepancyCause.ChildLeftOut, ChildKeys = { "1.1", "1.2" }, ChildrenTaken = 1 });
        card.Discrepancies.Add(discrepancy);

        var encoded = V1.Scorecard.Encoded(card);

        Assert.Equal(card.ToByteArray(), encoded.ToByteArray());
        Assert.Equal(card.CalculateSize(), encoded.CalculateSize());
        Assert.Equal(card, V1.Scorecard.Parser.ParseFrom(encoded.ToByteArray()));
    }
}
