using System.Globalization;
using System.Text.RegularExpressions;
using PerfPlatform.Objectives.Domain.Import;
using PerfPlatform.Objectives.Domain.Plan;
using Plan = PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Spreadsheets;

/// <summary>One data row: its cells by column name, read into figures, with every problem reported at its line and column.</summary>
internal sealed class Row(SheetRow row, IReadOnlyDictionary<string, int> columns, List<ImportProblem> errors, List<ImportProblem> warnings)
{
    public int Line => row.Line;

    public string? Text(string column) => Cells.Text(Cell(column));

    public string? Required(string column, string reason = "is empty, and this row needs it")
    {
        var text = Text(column);
        if (text is null)
            Error(column, reason);
        return text;
    }

    /// <summary>A text cell within <paramref name="max"/> characters (<see cref="PlanText"/>); trimmed, null when empty.</summary>
    public string? Text(string column, int max, bool required)
    {
        var text = required ? Required(column) : Text(column);
        if (PlanText.CheckLength(text, max) is { } error)
        {
            Error(column, error);
            return null;
        }
        return text;
    }

    /// <summary>A strategic objective's code, as <see cref="StrategicCode"/> writes it ("8.1." is 8.1); required.</summary>
    public string? Code(string column)
    {
        if (Required(column) is not { } text)
            return null;
        if (StrategicCode.TryParse(text, out var code, out var error))
            return code.Value;
        Error(column, error!);
        return null;
    }

    public int? WholeNumber(string column, bool required)
    {
        if ((required ? Required(column) : Text(column)) is not { } text)
            return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return number;
        Error(column, $"\"{text}\" is not a whole number");
        return null;
    }

    /// <summary>A % realizzazione: empty is none given, "/" not assessed, else a number from 0 to 100.</summary>
    public Realization? Percentage(string column)
    {
        if (Cell(column) is double number)
        {
            // An XLSX number cell is a binary double: 98.03999999999999 is 98.04 (the rule of Decimals).
            if (Realization.TryFromDouble(number, out var fromNumber, out var numberError))
                return fromNumber;
            Error(column, numberError!);
            return null;
        }
        if (Text(column) is not { } text)
            return null;
        if (Realization.TryParse(text, out var realization, out var error))
            return realization;
        Error(column, error!);
        return null;
    }

    /// <summary>An indicator's figure: empty or "/" when there is none.</summary>
    public decimal? Measure(string column) => Text(column) == Layout.NotAssessed ? null : Number(column);

    /// <summary>A weight (<see cref="Plan.Weight"/>): empty is none given; an XLSX number cell follows the double rule.</summary>
    public decimal? Weight(string column)
    {
        if (Cell(column) is double number)
        {
            if (Plan.Weight.TryFromDouble(number, out var fromNumber, out var numberError))
                return fromNumber.Value;
            Error(column, numberError!);
            return null;
        }
        if (Number(column) is not { } value)
            return null;
        if (Plan.Weight.TryCreate(value, out var weight, out var error, Text(column)))
            return weight.Value;
        Error(column, error!);
        return null;
    }

    public decimal? Number(string column)
    {
        if (Cell(column) is double number)
        {
            if (Math.Abs(number) < 7.9e28) // what a decimal holds
                return (decimal)number;
            Error(column, $"{number} is too large");
            return null;
        }
        if (Text(column) is not { } text)
            return null;
        if (Cells.TryParseDecimal(text, out var value, out var thousandsLookAlike))
        {
            if (thousandsLookAlike)
                warnings.Add(new(Line, $"column '{column}': \"{text}\" was read as {value.ToString(Layout.Italian)}; " +
                    "if you meant thousands, write the number without the point"));
            return value;
        }
        Error(column, $"\"{text}\" is not a number");
        return null;
    }

    public void Error(string column, string message) => errors.Add(new(Line, $"column '{column}': {message}"));

    private object? Cell(string column) =>
        columns.TryGetValue(column, out var i) && i < row.Cells.Count ? row.Cells[i] : null;
}

/// <summary>The cells of both formats: CSV gives text, XLSX gives text or numbers (double).</summary>
internal static partial class Cells
{
    public static string? Text(object? cell)
    {
        var text = cell switch
        {
            null => null,
            string s => s,
            double d => d.ToString(CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => cell.ToString(),
        };
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>
    /// A number written the Italian way ("1234,5", "1.234,5") or with a decimal point ("1234.5"), as
    /// <see cref="Realization.TryParse"/> accepts it. "1.500" is read as 1,5 but flagged: in Italy it may mean 1500.
    /// </summary>
    public static bool TryParseDecimal(string text, out decimal value, out bool thousandsLookAlike)
    {
        thousandsLookAlike = !text.Contains(',') && ThousandsGrouping().IsMatch(text);
        var invariant = text.Contains(',') ? text.Replace(".", "").Replace(',', '.') : text;
        return decimal.TryParse(invariant, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"^-?\d{1,3}(\.\d{3})+$")]
    private static partial Regex ThousandsGrouping();
}
