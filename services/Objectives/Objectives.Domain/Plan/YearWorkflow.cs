namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>Where a year stands in its cycle (docs/domain.md, "The year's workflow").</summary>
public enum YearState
{
    /// <summary>The PIAO's objectives are being written; values recorded now count for monitoring.</summary>
    Planning,
    /// <summary>Values as of 30 June.</summary>
    Monitoring,
    /// <summary>Values as of 31 December, for the Relazione sulla Performance.</summary>
    Final,
    /// <summary>Validated by the OIV: values and structure are locked.</summary>
    Validated,
    /// <summary>Published: locked as validated.</summary>
    Published,
}

/// <summary>The period a value belongs to.</summary>
public enum ValuePeriod { Monitoring, Final }

/// <summary>An objective whose final value is below 100 and that has no explanation yet.</summary>
public sealed record Deviation(string Code, string Title, Realization Value);

/// <summary>The year's cycle: which step follows which, what is locked, which period a value belongs to.</summary>
public static class YearWorkflow
{
    /// <summary>The step after each state; validated and published go back only through a reopen.</summary>
    public static YearState? Next(YearState state) => state switch
    {
        YearState.Planning => YearState.Monitoring,
        YearState.Monitoring => YearState.Final,
        YearState.Final => YearState.Validated,
        YearState.Validated => YearState.Published,
        _ => null,
    };

    /// <summary>Once the OIV validated the year, neither its values nor its structure change until it is reopened.</summary>
    public static bool IsLocked(YearState state) => state is YearState.Validated or YearState.Published;

    /// <summary>A value recorded while the year is in planning or monitoring is a monitoring value; from final on, a final one.</summary>
    public static ValuePeriod PeriodOf(YearState state) => state is YearState.Planning or YearState.Monitoring ? ValuePeriod.Monitoring : ValuePeriod.Final;

    /// <summary>Reopening takes a locked year back to final, where values can be corrected and validated again.</summary>
    public const YearState ReopenedTo = YearState.Final;

    /// <summary>The year refuses a change: names its state, and what would unlock it.</summary>
    public static void EnsureChangeable(int year, YearState state)
    {
        if (IsLocked(state)) throw new YearLockedException(year, state);
    }

    /// <summary>Checks a step from <paramref name="from"/> to <paramref name="to"/>; going to validated needs every deviation explained.</summary>
    public static void EnsureStep(int year, YearState from, YearState to, IReadOnlyList<Deviation> unexplained)
    {
        if (Next(from) != to)
            throw new YearStateException(year, from, $"the year {year} is {Name(from)}: the next step is {(Next(from) is { } n ? Name(n) : "a reopen")}, not {Name(to)}");
        if (to == YearState.Validated && unexplained.Count > 0)
            throw new UnexplainedDeviationsException(year, unexplained);
    }

    /// <summary>Objectives with a value below 100 and no explanation: what validation refuses.</summary>
    public static bool NeedsExplanation(Realization? value, string? explanation) =>
        value is { Value: < 100m } && string.IsNullOrWhiteSpace(explanation);

    public static string Name(YearState state) => state.ToString().ToLowerInvariant();

    public static string Name(ValuePeriod period) => period.ToString().ToLowerInvariant();

    public static YearState Parse(string field, string? text) =>
        Enum.TryParse<YearState>(text, ignoreCase: true, out var s) && Enum.IsDefined(s)
            ? s
            : throw new InvalidPlanInputException(field, $"\"{text}\" is not a year state (planning, monitoring, final, validated, published)");
}

/// <summary>A change refused because of where the year stands.</summary>
public class YearStateException(int year, YearState state, string message) : Exception(message)
{
    public int Year { get; } = year;
    public YearState State { get; } = state;
}

/// <summary>A change to a validated or published year.</summary>
public sealed class YearLockedException(int year, YearState state) : YearStateException(year, state,
    $"the year {year} is {YearWorkflow.Name(state)}: its values and structure are locked; reopen it (with a reason) to change them");

/// <summary>Validation refused: the final values below 100 that still lack an explanation, every one of them.</summary>
public sealed class UnexplainedDeviationsException(int year, IReadOnlyList<Deviation> deviations) : YearStateException(year, YearState.Final,
    $"the year {year} cannot go to validation: {deviations.Count} final value(s) below 100 have no explanation: "
    + string.Join("; ", deviations.Select(d => $"{d.Code} \"{Short(d.Title)}\" {d.Value}")))
{
    public IReadOnlyList<Deviation> Deviations { get; } = deviations;

    private static string Short(string title) => title.Length <= 60 ? title : title[..57] + "...";
}
