using System.Text.RegularExpressions;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Import;

/// <summary>What a cell holds, told by its content alone (the PDF conversion moves columns around).</summary>
internal enum CellKind
{
    Empty,
    /// <summary>A number-like cell or "/": a percentage, an area number, or an objective code.</summary>
    Number,
    Text,
}

/// <summary>One tab-separated cell: as written, and as clean text.</summary>
internal sealed record RelazioneCell(int Index, string Raw, string Text, CellKind Kind)
{
    public bool IsEmpty => Kind == CellKind.Empty;

    /// <summary>A small whole number, as area numbers are ("1", "10"); never "100", which is a percentage.</summary>
    public bool IsAreaNumber(out int number) =>
        int.TryParse(Text, out number) && Kind == CellKind.Number && Text.Length <= 2 && number >= 1;
}

/// <summary>
/// One line of the Relazione table, split into cells and read by content: the objective code, the
/// MEDIA cell, the entity level cell, the footnote.
/// </summary>
internal sealed partial class RelazioneRow
{
    private RelazioneRow(int lineNumber, IReadOnlyList<RelazioneCell> cells)
    {
        LineNumber = lineNumber;
        Cells = cells;
        Filled = cells.Where(c => !c.IsEmpty).ToList();
        CodeCell = FindCodeCell();
    }

    public int LineNumber { get; }
    public IReadOnlyList<RelazioneCell> Cells { get; }

    /// <summary>The non-empty cells, in order.</summary>
    public IReadOnlyList<RelazioneCell> Filled { get; }

    /// <summary>The cell with the strategic objective's code ("1.13", "8.1."), if the row opens one.</summary>
    public RelazioneCell? CodeCell { get; }

    public bool IsBlank => Filled.Count == 0;

    /// <summary>The whole line as clean text, markdown marks removed (for the headings above the table).</summary>
    public string PlainLine => MarkdownMarks().Replace(string.Join(" ", Filled.Select(c => c.Text)), "").Trim();

    public RelazioneCell? MediaCell => Filled.FirstOrDefault(c => Media().IsMatch(c.Text));

    public RelazioneCell? EntityLevelCell => Filled.FirstOrDefault(c => EntityLevel().IsMatch(c.Text));

    /// <summary>The repeated column titles ("AREA STRATEGICA", "OBIETTIVI STRATEGICI 2019-2024", ...), in capitals as printed.</summary>
    public bool IsColumnHeader => CodeCell is null && Filled.Any(c => ColumnTitle().IsMatch(c.Text));

    /// <summary>A lone cell starting with "*" (or the markdown-escaped "\*"): the note under the table.</summary>
    public bool IsFootnote => Filled.Count == 1 && FootnoteMark().IsMatch(Filled[0].Text);

    public string FootnoteText => FootnoteMark().Replace(Filled[0].Text, "").Trim();

    /// <summary>Where the table begins: column titles, a code, a MEDIA, or any row of several cells.</summary>
    public bool StartsTable => IsColumnHeader || CodeCell is not null || MediaCell is not null
        || EntityLevelCell is not null || Filled.Count >= 2;

    public IEnumerable<RelazioneCell> Before(RelazioneCell cell) => Filled.Where(c => c.Index < cell.Index);

    public IEnumerable<RelazioneCell> After(RelazioneCell cell) => Filled.Where(c => c.Index > cell.Index);

    public static RelazioneRow Parse(int lineNumber, string line)
    {
        var cells = line.Split('\t').Select((raw, index) => ReadCell(index, raw)).ToList();
        return new RelazioneRow(lineNumber, cells);
    }

    /// <summary>"8.1." is the code "8.1".</summary>
    public static string CodeOf(RelazioneCell cell) => cell.Text.TrimEnd('.');

    private static RelazioneCell ReadCell(int index, string raw)
    {
        var text = HtmlText.Plain(raw);
        var kind = text.Length == 0 ? CellKind.Empty
            : NumberLike().IsMatch(text) ? CellKind.Number
            : CellKind.Text;
        return new RelazioneCell(index, raw, text, kind);
    }

    /// <summary>
    /// The first code-shaped cell with something after it (its title). A code-shaped cell that ends the
    /// row is a percentage written with a decimal point ("96.67").
    /// </summary>
    private RelazioneCell? FindCodeCell() =>
        Filled.FirstOrDefault(c => StrategicCode.HasCodeShape(c.Text) && Filled.Any(after => after.Index > c.Index));

    /// <summary>"96,67", "100", "100,00", "96.67%", "/", and the wrong ones a person may type ("-5", "12,345").</summary>
    [GeneratedRegex(@"^(?:[+-]?\d[\d.,]*\s*%?|/)$")]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"^MEDIA\s*:?$", RegexOptions.IgnoreCase)]
    private static partial Regex Media();

    [GeneratedRegex(@"LIVELLO\s+MEDIO\s+GENERALE", RegexOptions.IgnoreCase)]
    private static partial Regex EntityLevel();

    [GeneratedRegex(@"^(?:AREA STRATEGICA|OBIETTIVI (?:STRATEGICI|OPERATIVI)\b|% REALIZZAZIONE)")]
    private static partial Regex ColumnTitle();

    [GeneratedRegex(@"^\\?\*\s*")]
    private static partial Regex FootnoteMark();

    [GeneratedRegex(@"^#+\s*|\*\*|__")]
    private static partial Regex MarkdownMarks();
}
