using static PerfPlatform.Scoring.Domain.Tests.Build;

namespace PerfPlatform.Scoring.Domain.Tests;

/// <summary>
/// Drives one scorecard through many random events and checks, after each, that the incremental state
/// equals a naive recomputation from scratch and that the reported changes replay to the same figures.
/// </summary>
public class IncrementalMatchesFullTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Incremental_state_equals_a_recomputation_from_scratch(int seed)
    {
        var random = new Random(seed);
        var card = new YearScorecard(2024);
        var held = new Dictionary<string, StrategicObjectiveBranch>();
        var replayed = new Dictionary<(ScoreLevel, string), decimal?>();
        var codes = Enumerable.Range(1, 25).Select(i => $"{i % 5 + 1}.{i}").ToArray();
        long version = 0;

        for (var step = 0; step < 400; step++)
        {
            var code = codes[random.Next(codes.Length)];
            Recalculation result;
            if (random.Next(5) == 0)
            {
                version++;
                held.Remove(code);
                result = card.Remove(version, code);
            }
            else
            {
                var branch = Branch(code, random.Next(1, 5), ++version,
                    own: random.Next(3) == 0 ? null : Value(random),
                    ops: Enumerable.Range(0, random.Next(4))
                        .Select(_ => Op(random.Next(3) == 0 ? null : Value(random), weight: random.Next(1, 4)))
                        .ToArray());
                held[code] = branch;
                result = card.Upsert(branch);
                // A late copy with an older version must not matter.
                Assert.Equal(1, card.Upsert(branch with { Version = branch.Version - 1, OwnValue = 1m }).IgnoredAsStale);
            }

            foreach (var change in result.Changes)
            {
                Assert.Equal(replayed.GetValueOrDefault((change.Level, change.Key)), change.Old);
                Assert.NotEqual(change.Old, change.New);
                replayed[(change.Level, change.Key)] = change.New;
            }
            AssertMatchesNaive(card, held, replayed);
        }
    }

    private static decimal Value(Random random) => random.Next(0, 10001) / 100m;

    private static void AssertMatchesNaive(
        YearScorecard card, Dictionary<string, StrategicObjectiveBranch> held,
        Dictionary<(ScoreLevel, string), decimal?> replayed)
    {
        var scores = held.Values.ToDictionary(b => b.Code, NaiveScore);
        var means = held.Values.GroupBy(b => b.AreaNumber)
            .ToDictionary(g => g.Key, g => RollUp.Round(RollUp.Mean(g.Select(b => scores[b.Code]))));
        var entity = RollUp.Round(RollUp.Mean(means.Values));

        Assert.Equal(entity, card.EntityLevel);
        Assert.Equal(entity, replayed.GetValueOrDefault((ScoreLevel.Entity, "")));
        foreach (var (number, mean) in means)
        {
            Assert.Equal(mean, card.MeanOf(number));
            Assert.Equal(mean, replayed.GetValueOrDefault((ScoreLevel.Area, number.ToString())));
        }
        foreach (var (code, score) in scores)
        {
            Assert.Equal(score, card.ScoreOf(code));
            Assert.Equal(score, replayed.GetValueOrDefault((ScoreLevel.StrategicObjective, code)));
        }
        var snapshot = card.Snapshot();
        Assert.Equal(held.Count, snapshot.Areas.Sum(a => a.StrategicObjectives.Count));
        Assert.All(snapshot.Areas, a => Assert.Equal(a.Mean, means.GetValueOrDefault(a.Number)));
    }

    private static decimal? NaiveScore(StrategicObjectiveBranch branch)
    {
        var assessed = branch.OperationalObjectives.Where(o => o.Value is not null).ToList();
        if (assessed.Count == 0) return RollUp.Round(branch.OwnValue);
        return RollUp.Round(assessed.Sum(o => o.Value!.Value * o.Weight) / assessed.Sum(o => o.Weight));
    }
}
