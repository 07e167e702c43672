namespace PerfPlatform.Objectives.Spreadsheets;

/// <summary>
/// CSV formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that begins with '=', '+', '-' or '@'
/// (or a tab or carriage return before one) as a formula, so a title typed as "=HYPERLINK(...)" would act when the
/// export is opened. The export writes such a text cell with a leading single quote, which Excel and LibreOffice
/// show as text; the import strips that quote again, so export then import keeps the title as typed.
/// Numbers are written as numbers ("-5" is the number, not a formula) and left alone.
/// </summary>
internal static class FormulaGuard
{
    private static readonly char[] Triggers = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>A trigger first, or a quote before one (so that a title typed as "'=x" also comes back as typed).</summary>
    public static bool NeedsGuard(string text)
    {
        var first = text.AsSpan().TrimStart('\'');
        return first.Length > 0 && Array.IndexOf(Triggers, first[0]) >= 0;
    }

    public static string Neutralise(string text) => NeedsGuard(text) ? "'" + text : text;

    /// <summary>The cell as typed before <see cref="Neutralise"/>: a quote is dropped only where it guards.</summary>
    public static string Restore(string cell) => cell.Length > 1 && cell[0] == '\'' && NeedsGuard(cell[1..]) ? cell[1..] : cell;

    public static List<Dictionary<string, object?>> Neutralise(List<Dictionary<string, object?>> rows)
    {
        foreach (var row in rows)
            foreach (var column in row.Keys.ToList())
                if (row[column] is string text)
                    row[column] = Neutralise(text);
        return rows;
    }
}
