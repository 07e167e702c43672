using System.Globalization;

namespace PerfPlatform.Portal.Services;

/// <summary>
/// Reads a realization % as staff type it: Italian decimal comma or a point, an optional "%". The range and
/// the two decimals are the service's rules (its refusal is shown); only what is not a number stops here.
/// </summary>
public static class ValueInput
{
    public enum Problem { None, Empty, NotANumber }

    public static Problem TryRead(string? text, out double value)
    {
        value = 0;
        var t = (text ?? "").Trim().TrimEnd('%').Trim().Replace(" ", "");
        if (t.Length == 0) return Problem.Empty;
        // One decimal separator only: "1.234,5" (thousands) is not a percentage anyone types.
        if (t.Count(c => c is ',' or '.') > 1) return Problem.NotANumber;
        return double.TryParse(t.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
               && double.IsFinite(value)
            ? Problem.None
            : Problem.NotANumber;
    }
}
