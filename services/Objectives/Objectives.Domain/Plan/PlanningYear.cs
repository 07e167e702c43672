namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// The year a plan is for. Always within a sane range (<see cref="Min"/>-<see cref="Max"/>: the performance cycle
/// starts with D.Lgs. 150/2009, and a date must exist for 31 December of it); within the plan's mandate where the
/// mandate is known. Year 0 is refused here, by name, rather than failing later in a date.
/// </summary>
public static class PlanningYear
{
    public const int Min = 1990, Max = 2100;

    public static bool IsSane(int year) => year is >= Min and <= Max;

    /// <summary>Null when the year is acceptable, else why not.</summary>
    public static string? Check(int year, int? mandateStart = null, int? mandateEnd = null)
    {
        if (!IsSane(year))
            return $"{year} is not a plan year: write a year from {Min} to {Max}";
        if (mandateStart is { } start && mandateEnd is { } end && start <= end && (year < start || year > end))
            return $"the year {year} is outside the mandate {start} - {end}";
        return null;
    }

    /// <summary>The year, or a refusal naming <paramref name="field"/>.</summary>
    public static int Require(int year, string field) =>
        Check(year) is { } error ? throw new InvalidPlanInputException(field, error) : year;
}
