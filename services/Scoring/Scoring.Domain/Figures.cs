using System.Globalization;

namespace PerfPlatform.Scoring.Domain;

/// <summary>How a figure reads in the documents: two decimals with a decimal comma, "/" when not assessed.</summary>
public static class Figures
{
    // Formatted invariantly then given a comma: values are 0–100, so no thousands separator is needed,
    // and the result does not depend on the culture data installed on the host.
    public static string Format(decimal? value) =>
        value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',') : "/";
}
