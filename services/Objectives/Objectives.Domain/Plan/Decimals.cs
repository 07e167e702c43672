using System.Globalization;

namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// Binary doubles (the wire's <c>double</c>, an XLSX number cell) as the decimals the plan keeps.
/// A city system that computes 90 + 8.04 in binary floating point sends 98.03999999999999: that is 98.04.
/// The rule: x is the decimal d with <paramref name="places"/> decimals when |x·10^places − round(x·10^places)| &lt; 1e-6,
/// i.e. within a millionth of the last kept digit. Doubles carry 15-16 significant digits, so every value the plan
/// allows (at most 1000 with 4 decimals, 100 with 2) lands far inside that tolerance when it was meant exactly;
/// 98.041 (a tenth of a hundredth away) and 98.0400001 (1e-5 away) are refused.
/// </summary>
public static class Decimals
{
    /// <summary>How far from a kept digit, in units of that digit, a double may be and still be that value.</summary>
    public const double Tolerance = 1e-6;

    public static bool TryFromDouble(double value, int places, out decimal result, out string? error)
    {
        result = 0m;
        if (!double.IsFinite(value))
        {
            error = $"{value.ToString(CultureInfo.InvariantCulture)} is not a number";
            return false;
        }
        if (Math.Abs(value) >= 1e12)
        {
            error = $"{value.ToString("R", CultureInfo.InvariantCulture)} is too large";
            return false;
        }
        var scale = Math.Pow(10, places);
        var scaled = value * scale;
        var nearest = Math.Round(scaled, MidpointRounding.AwayFromZero);
        if (Math.Abs(scaled - nearest) >= Tolerance)
        {
            error = $"{value.ToString("R", CultureInfo.InvariantCulture)} has more than {Words(places)} decimals";
            return false;
        }
        result = (decimal)nearest / (decimal)scale;
        if (result == 0m) result = 0m; // no "-0"
        error = null;
        return true;
    }

    /// <summary>A decimal with more decimals than kept is refused, never rounded away.</summary>
    public static bool HasAtMost(decimal value, int places) => decimal.Round(value, places) == value;

    internal static string Words(int places) => places switch { 2 => "two", 4 => "four", _ => places.ToString(CultureInfo.InvariantCulture) };
}
