using System.Globalization;

namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// The peso of an obiettivo operativo in its strategic objective's weighted mean: above 0, at most 1000, with at most
/// four decimals, the precision the database keeps (numeric(18,4)). 0.00001 is refused: stored it would become 0, and a
/// branch whose weights sum to 0 has no mean.
/// </summary>
public readonly record struct Weight
{
    public const decimal Max = 1000m;

    /// <summary>The decimals the database column keeps.</summary>
    public const int Places = 4;

    public static Weight Default { get; } = new(1m);

    private Weight(decimal value) => Value = value;

    public decimal Value { get; }

    /// <param name="asWritten">The text the value was read from, to quote it back; null quotes the number.</param>
    public static bool TryCreate(decimal value, out Weight weight, out string? error, string? asWritten = null)
    {
        weight = Default;
        var written = asWritten is null ? value.ToString(CultureInfo.InvariantCulture) : $"\"{asWritten}\"";
        error = value <= 0m ? $"{written} is not a positive number: a weight is greater than 0"
            : value > Max ? $"{written} is not a valid weight: a weight is at most {Max}"
            : !Decimals.HasAtMost(value, Places) ? $"{written} has more than four decimals: a weight keeps at most four (e.g. 0.0001)"
            : null;
        if (error is not null)
            return false;
        weight = new(value);
        return true;
    }

    /// <summary>A weight sent as a binary double: the same tolerance as a percentage (<see cref="Decimals"/>), at four decimals.</summary>
    public static bool TryFromDouble(double value, out Weight weight, out string? error)
    {
        weight = Default;
        return Decimals.TryFromDouble(value, Places, out var exact, out error) && TryCreate(exact, out weight, out error);
    }

    public static Weight Of(decimal value, string field) =>
        TryCreate(value, out var weight, out var error) ? weight : throw new InvalidPlanInputException(field, error!);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
