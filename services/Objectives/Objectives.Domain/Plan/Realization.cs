using System.Globalization;

namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// A degree of achievement (% realizzazione): a value from 0 to 100 with at most two decimals,
/// or <em>not assessed</em> ("/" in the documents), which every mean leaves out.
/// </summary>
public readonly record struct Realization
{
    private Realization(decimal? value) => Value = value;

    /// <summary>The percentage, or null when not assessed.</summary>
    public decimal? Value { get; }

    public bool IsAssessed => Value.HasValue;

    public static Realization NotAssessed { get; } = new(null);

    /// <summary>The lowest and highest percentage, and the decimals kept (the database column is text of 8).</summary>
    public const decimal Min = 0m, Max = 100m;
    public const int Places = 2;

    public static Realization Of(decimal value)
    {
        if (value < Min || value > Max)
            throw new ArgumentOutOfRangeException(nameof(value), value, "A realization percentage must be between 0 and 100.");
        if (!Decimals.HasAtMost(value, Places))
            throw new ArgumentOutOfRangeException(nameof(value), value, "A realization percentage has at most two decimals.");
        return new(value);
    }

    /// <summary>
    /// A percentage sent as a binary double (gRPC, an XLSX number cell): within <see cref="Decimals.Tolerance"/> of a
    /// two-decimal value it is that value (98.03999999999999 is 98.04); 98.041 is refused, as are values outside 0-100.
    /// </summary>
    public static bool TryFromDouble(double value, out Realization realization, out string? error)
    {
        realization = NotAssessed;
        if (!Decimals.TryFromDouble(value, Places, out var exact, out error))
            return false;
        return TryCreate(exact, exact.ToString(CultureInfo.InvariantCulture), out realization, out error);
    }

    private static bool TryCreate(decimal value, string asWritten, out Realization realization, out string? error)
    {
        realization = NotAssessed;
        error = null;
        if (value < Min || value > Max)
        {
            error = $"{asWritten} is out of range: a percentage is between 0 and 100";
            return false;
        }
        if (!Decimals.HasAtMost(value, Places))
        {
            error = $"{asWritten} has more than two decimals";
            return false;
        }
        realization = new(value);
        return true;
    }

    /// <summary>
    /// Reads a percentage as printed in Italian documents: "96,67", "100", "100,00", "/"; also accepts a
    /// decimal point and a trailing "%". Returns false with a reason a person can act on.
    /// </summary>
    public static bool TryParse(string? text, out Realization realization, out string? error)
    {
        realization = NotAssessed;
        error = null;
        var s = (text ?? string.Empty).Trim();
        if (s.EndsWith('%')) s = s[..^1].TrimEnd();
        if (s == "/")
            return true;
        if (s.Length == 0)
        {
            error = "the percentage is empty (write a number from 0 to 100, or \"/\" for not assessed)";
            return false;
        }
        if (!decimal.TryParse(s.Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out var value))
        {
            error = $"\"{s}\" is not a percentage (write a number from 0 to 100, or \"/\" for not assessed)";
            return false;
        }
        return TryCreate(value, s, out realization, out error);
    }

    /// <summary>Italian display: two decimals, decimal comma; "/" when not assessed.</summary>
    public override string ToString() =>
        Value is { } v ? v.ToString("0.00", CultureInfo.GetCultureInfo("it-IT")) : "/";
}
