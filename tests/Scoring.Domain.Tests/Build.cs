namespace PerfPlatform.Scoring.Domain.Tests;

/// <summary>Short ways to write plans in tests.</summary>
internal static class Build
{
    public static OperationalObjectiveInput Op(
        decimal? value, decimal weight = 1m, string[]? dimensions = null, string[]? sectors = null, string title = "op") =>
        new(Guid.NewGuid(), title, weight, value, dimensions ?? [], sectors ?? []);

    public static StrategicObjectiveBranch Branch(
        string code, int area, long version = 1, decimal? own = null, decimal? declared = null,
        string? title = null, OperationalObjectiveInput[]? ops = null) =>
        new(code, area, title ?? $"Objective {code}", own, declared, ops ?? [], version);

    public static Recalculation Upsert(this YearScorecard card, params StrategicObjectiveBranch[] branches) =>
        card.Apply(branches, [], 0);

    public static Recalculation Remove(this YearScorecard card, long version, params string[] codes) =>
        card.Apply([], codes, version);

    public static ScoreChange Objective(string code, decimal? old, decimal? @new) =>
        new(ScoreLevel.StrategicObjective, code, old, @new);

    public static ScoreChange Area(int number, decimal? old, decimal? @new) =>
        new(ScoreLevel.Area, number.ToString(), old, @new);

    public static ScoreChange Entity(decimal? old, decimal? @new) => new(ScoreLevel.Entity, "", old, @new);
}
