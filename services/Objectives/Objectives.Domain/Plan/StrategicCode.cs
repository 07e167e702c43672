using System.Text.RegularExpressions;

namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// The code of an obiettivo strategico: area number, a dot, the objective's number in the area ("1.13").
/// "8.1." (as the 2023 annex prints it) is the code "8.1". Each part has one to three digits and starts at 1,
/// so a code is at most 7 characters: well inside the 20 the database column keeps (<see cref="StoredMaxLength"/>).
/// The only place in the code base that decides what a strategic code is.
/// </summary>
public readonly partial record struct StrategicCode
{
    /// <summary>The width of the code columns in the database (varchar(20)).</summary>
    public const int StoredMaxLength = 20;

    /// <summary>The longest code the rule allows ("999.999").</summary>
    public const int MaxLength = 7;

    private StrategicCode(int area, int number)
    {
        Area = area;
        Number = number;
    }

    /// <summary>The area strategica the code names (the part before the dot).</summary>
    public int Area { get; }

    /// <summary>The objective's number within its area.</summary>
    public int Number { get; }

    public string Value => $"{Area}.{Number}";

    public override string ToString() => Value;

    /// <summary>
    /// Digits, a dot, digits, and at most one trailing dot: what reads as a code at all. The importers use it to
    /// tell a code cell from a title; <see cref="TryParse"/> then says what is wrong with one that breaks the rule.
    /// </summary>
    public static bool HasCodeShape(string? text) => text is not null && Shape().IsMatch(text.Trim());

    /// <summary>Reads a code; false with a reason a person can act on (the caller adds the field and line).</summary>
    public static bool TryParse(string? text, out StrategicCode code, out string? error)
    {
        code = default;
        var s = (text ?? "").Trim();
        if (s.Length == 0)
        {
            error = "a strategic objective code is required (area.number, e.g. 1.13)";
            return false;
        }
        var match = Shape().Match(s);
        if (!match.Success)
        {
            error = $"\"{Shorten(s)}\" is not a strategic objective code (area.number, e.g. 1.13)";
            return false;
        }
        var (area, number) = (match.Groups["area"].Value.TrimStart('0'), match.Groups["number"].Value.TrimStart('0'));
        if (s.TrimEnd('.').Length > MaxLength || area.Length > 3 || number.Length > 3)
        {
            error = $"\"{Shorten(s)}\" is {s.Length} characters long: a strategic objective code is area.number with at most three digits each (at most {MaxLength} characters, e.g. 1.13)";
            return false;
        }
        if (area.Length == 0 || number.Length == 0)
        {
            error = $"\"{s}\" is not a strategic objective code: area and number start at 1 (e.g. 1.13)";
            return false;
        }
        code = new StrategicCode(int.Parse(area), int.Parse(number));
        error = null;
        return true;
    }

    /// <summary>The highest area number a code can name (three digits).</summary>
    public const int MaxArea = 999;

    /// <summary>Null when <paramref name="number"/> can be an area's number (1-999, as codes name it), else why not.</summary>
    public static string? CheckAreaNumber(int number) =>
        number is >= 1 and <= MaxArea ? null : $"{number} is not an area number: areas are numbered from 1 to {MaxArea}";

    /// <summary>Reads a code or refuses it naming <paramref name="field"/>.</summary>
    public static StrategicCode Parse(string? text, string field) =>
        TryParse(text, out var code, out var error) ? code : throw new InvalidPlanInputException(field, error!);

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";

    [GeneratedRegex(@"^(?<area>[0-9]+)\.(?<number>[0-9]+)\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
