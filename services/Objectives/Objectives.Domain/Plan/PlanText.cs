namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// How long each text of the plan may be. Where the database sets a width, the limit is that width (entity name:
/// varchar(300), strategic code: varchar(20), see <see cref="StrategicCode"/>); the other columns are unbounded
/// text, and their limits are room enough for the longest cell of the 2023 annex (about 1,900 characters,
/// several objectives run together) while keeping a stray paste of a whole document out.
/// </summary>
public static class PlanText
{
    public const int EntityName = 300;
    public const int AreaName = 300;
    public const int Title = 4000;
    public const int Footnote = 4000;
    public const int Sector = 200;
    public const int IndicatorName = 1000;
    public const int Unit = 50;
    public const int Note = 2000;

    /// <summary>Null when <paramref name="text"/> (trimmed) fits in <paramref name="max"/> characters, else why not.</summary>
    public static string? CheckLength(string? text, int max)
    {
        var length = text?.Trim().Length ?? 0;
        return length > max ? $"is {length} characters long; at most {max} are kept" : null;
    }

    /// <summary>Null when the text is given and fits, else why not.</summary>
    public static string? CheckRequired(string? text, int max) =>
        string.IsNullOrWhiteSpace(text) ? "must not be empty" : CheckLength(text, max);

    /// <summary>The trimmed text (null when blank), or a refusal naming <paramref name="field"/>.</summary>
    public static string? Optional(string? text, int max, string field) =>
        CheckLength(text, max) is { } error ? throw new InvalidPlanInputException(field, error)
            : string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The trimmed text, or a refusal naming <paramref name="field"/>.</summary>
    public static string Required(string? text, int max, string field) =>
        CheckRequired(text, max) is { } error ? throw new InvalidPlanInputException(field, error) : text!.Trim();
}
