using System.Text.RegularExpressions;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Import;

/// <summary>
/// Reads the rows of a Relazione sulla Performance table one by one, by content, into areas and
/// objectives, collecting errors (with their lines) and warnings on the way.
/// </summary>
internal sealed partial class RelazioneReader
{
    private readonly List<ImportProblem> _errors = [];
    private readonly List<ImportProblem> _warnings = [];
    private readonly List<AreaInProgress> _areas = [];
    private readonly Dictionary<string, int> _codeLines = [];
    private readonly List<(int Line, string Text)> _footnotes = [];

    private string? _entityName;
    private (int Year, int Line)? _headingYear;
    private (int Start, int End)? _mandate;
    private bool _inTable;
    private AreaInProgress? _area;
    private StrategicObjectiveInProgress? _objective;
    private int? _entityLevelLine;
    private Realization? _entityLevel;
    private int? _entityLevelYear;
    private int _lastLine; // the last line with content: where a truncated file ends

    public IReadOnlyList<ImportProblem> Errors => _errors;
    public IReadOnlyList<ImportProblem> Warnings => _warnings;

    public void Read(int lineNumber, string line)
    {
        var row = RelazioneRow.Parse(lineNumber, line);
        if (row.IsBlank)
            return;
        _lastLine = lineNumber;
        if (!_inTable)
        {
            // Above the table: the headings say who, which year, which mandate.
            if (ReadHeading(row) || !row.StartsTable)
                return;
            _inTable = true;
        }
        if (row.IsColumnHeader)
        {
            ReadMandateFromColumnTitles(row);
            return;
        }
        if (row.IsFootnote)
            _footnotes.Add((lineNumber, row.FootnoteText));
        else if (_entityLevelLine is { } entityLine)
            ReadRowAfterEntityLevel(row, entityLine);
        else if (row.EntityLevelCell is { } entityCell)
            ReadEntityLevelRow(row, entityCell);
        else if (row.MediaCell is { } mediaCell)
            ReadMediaRow(row, mediaCell);
        else if (row.CodeCell is { } codeCell)
            ReadStrategicObjectiveRow(row, codeCell);
        else
            ReadContinuationRow(row);
    }

    /// <summary>Closes the reading: what is missing at the end, footnotes, headings; then the plan.</summary>
    public PlanDocument? Finish()
    {
        if (_codeLines.Count == 0)
        {
            _errors.Clear();
            Error(0, "not a Relazione sulla Performance table: no strategic objective codes (like \"1.13\") or areas found");
            return null;
        }
        if (_area is { HasContent: true } open)
        {
            Error(_lastLine, $"truncated: {open.Describe()} (from line {open.FirstLine}) has no MEDIA row; the file ends at line {_lastLine}");
            CloseArea(open);
        }
        if (_entityLevelLine is null)
            Error(_lastLine, $"truncated: no entity level row (\"LIVELLO MEDIO GENERALE ... ENTE\") before the end of the file at line {_lastLine}");

        AttachFootnotes();
        var year = ResolveYear();
        if (_entityName is null)
            Error(0, "no entity name: expected a heading like \"Città di Lecce\" or \"Comune di ...\" above the table");
        if (_mandate is null)
            Error(0, "no mandate years: expected a heading like \"LINEE PROGRAMMATICHE DI MANDATO 2019 - 2024\" above the table");
        if (year is null)
            Error(0, "no year: expected a heading like \"ANNO 2023\" or the year in the entity level row");
        if (_entityName is null || _mandate is null || year is null)
            return null;

        return new PlanDocument(
            _entityName,
            _mandate.Value.Start,
            _mandate.Value.End,
            year.Value,
            _areas.Select(a => a.ToDraft()).ToList(),
            _entityLevel);
    }

    // ---- above the table ------------------------------------------------------------------

    private bool ReadHeading(RelazioneRow row)
    {
        var text = row.PlainLine;
        if (_entityName is null && EntityNameHeading().IsMatch(text))
        {
            _entityName = text;
            return true;
        }
        if (_mandate is null && MandateHeading().Match(text) is { Success: true } mandate)
        {
            _mandate = (int.Parse(mandate.Groups["start"].Value), int.Parse(mandate.Groups["end"].Value));
            return true;
        }
        if (_headingYear is null && YearHeading().Match(text) is { Success: true } year)
        {
            _headingYear = (int.Parse(year.Groups["year"].Value), row.LineNumber);
            return true;
        }
        return false;
    }

    /// <summary>Without the mandate heading, the column title "OBIETTIVI STRATEGICI 2019-2024" still names it.</summary>
    private void ReadMandateFromColumnTitles(RelazioneRow row)
    {
        if (_mandate is null && row.Filled.Select(c => MandateColumnTitle().Match(c.Text)).FirstOrDefault(m => m.Success) is { } mandate)
            _mandate = (int.Parse(mandate.Groups["start"].Value), int.Parse(mandate.Groups["end"].Value));
    }

    /// <summary>The "ANNO" heading names the year; the entity row repeats it ("... ENTE 2023").</summary>
    private int? ResolveYear()
    {
        if (_headingYear is { } heading)
        {
            if (_entityLevelYear is { } repeated && repeated != heading.Year)
                Warn(_entityLevelLine ?? 0, $"the entity level row says {repeated} but the heading says ANNO {heading.Year} (line {heading.Line}); the year taken is {heading.Year}");
            return heading.Year;
        }
        return _entityLevelYear;
    }

    // ---- the closing rows -------------------------------------------------------------------

    /// <summary>The entity row closes the table: an objective after it means the rows are out of order.</summary>
    private void ReadRowAfterEntityLevel(RelazioneRow row, int entityLine)
    {
        if (row.CodeCell is { } code)
            Error(row.LineNumber, $"strategic objective {RelazioneRow.CodeOf(code)} comes after the entity level row (line {entityLine}), which closes the table");
        else
            Warn(row.LineNumber, $"text after the entity level row (line {entityLine}) is not part of the plan and was ignored: \"{Shorten(row.PlainLine)}\"");
    }

    private void ReadEntityLevelRow(RelazioneRow row, RelazioneCell marker)
    {
        _entityLevelLine = row.LineNumber;
        if (_area is { HasContent: true } open)
        {
            Error(row.LineNumber, $"{open.Describe()} (from line {open.FirstLine}) has no MEDIA row before the entity level row at line {row.LineNumber}");
            CloseArea(open);
        }
        _area = null;
        _objective = null;
        if (YearInText().Match(marker.Text) is { Success: true } year)
            _entityLevelYear = int.Parse(year.Value);
        _entityLevel = ReadValue(row, marker, "the entity level");
        if (_entityLevel is null)
            Warn(row.LineNumber, "the entity level row has no value");
    }

    private void ReadMediaRow(RelazioneRow row, RelazioneCell media)
    {
        if (_area is not { HasContent: true } area)
        {
            Error(row.LineNumber, "a MEDIA row with no area or strategic objective before it");
            return;
        }
        area.MediaLine = row.LineNumber;
        area.DeclaredMean = ReadValue(row, media, $"the MEDIA of {area.Describe()}");
        CloseArea(area);
        if (area.DeclaredMean is null)
            Warn(row.LineNumber, $"the MEDIA row of {area.Describe()} has no value");
        _area = null;
        _objective = null;
    }

    /// <summary>The one number on a MEDIA or entity row; text there is not expected.</summary>
    private Realization? ReadValue(RelazioneRow row, RelazioneCell label, string what)
    {
        var others = row.Filled.Where(c => c != label).ToList();
        foreach (var text in others.Where(c => c.Kind == CellKind.Text))
            Warn(row.LineNumber, $"text on the row of {what} was ignored: \"{Shorten(text.Text)}\"");
        var numbers = others.Where(c => c.Kind == CellKind.Number).ToList();
        if (numbers.Count > 1)
        {
            Error(row.LineNumber, $"{what} has {numbers.Count} values ({string.Join(", ", numbers.Select(n => n.Text))}); expected one");
            return null;
        }
        if (numbers.Count == 0)
            return null;
        if (Realization.TryParse(numbers[0].Text, out var value, out var reason))
            return value;
        Error(row.LineNumber, $"{what}: {reason}");
        return null;
    }

    /// <summary>An area's rows are complete: check what a person should look at.</summary>
    private void CloseArea(AreaInProgress area)
    {
        if (area.Number is null && area.StrategicObjectives.FirstOrDefault()?.AreaPrefix is { } prefix)
        {
            area.Number = prefix;
            area.NumberLine = area.FirstLine;
            Warn(area.FirstLine, $"no area number found for the area starting on line {area.FirstLine}: taken as {prefix} from its first code");
        }
        if (area.Number is null)
            Error(area.FirstLine, $"{area.Describe()} has no area number");
        if (area.Name is null)
            Error(area.FirstLine, $"{area.Describe()} (lines {area.FirstLine}-{Math.Max(area.MediaLine, area.FirstLine)}) has no name");
        foreach (var objective in area.StrategicObjectives)
            CheckStrategicObjective(area, objective);
        _areas.Add(area);
    }

    private void CheckStrategicObjective(AreaInProgress area, StrategicObjectiveInProgress objective)
    {
        if (area.Number is { } number && objective.AreaPrefix != number)
            Warn(objective.Line, $"strategic objective {objective.Code} is listed under area {number}: its code says area {objective.AreaPrefix}");
        if (objective.DeclaredRealization is null)
            Warn(objective.Line, objective.OperationalObjectives.Count == 0
                ? $"strategic objective {objective.Code} has neither a percentage nor operational objectives"
                : $"strategic objective {objective.Code} has no percentage");
        foreach (var (text, line) in objective.OperationalObjectives)
        {
            if (OperationalObjectiveLabels.Parse(text).Bes == BesDimension.None)
                Warn(line, $"an operational objective of {objective.Code} has no BES label (\"Benessere ...:\"): \"{Shorten(text)}\"");
        }
    }

    private void AttachFootnotes()
    {
        foreach (var (line, text) in _footnotes)
        {
            var marked = _areas.Where(a => a.HasFootnoteMark).ToList();
            if (marked.Count == 0)
                Warn(line, $"the footnote \"{Shorten(text)}\" has no area marked with \"*\" and was not stored");
            foreach (var area in marked)
                area.Footnote = area.Footnote is null ? text : area.Footnote + " " + text;
        }
        foreach (var area in _areas.Where(a => a.HasFootnoteMark && a.Footnote is null))
            Warn(area.NameLine, $"area {area.Number} \"{area.Name}\" is marked with \"*\" but there is no footnote");
    }

    // ---- the body of the table --------------------------------------------------------------

    /// <summary>A row that opens a strategic objective: [area name, area number,] code, title, [operational objectives,] %.</summary>
    private void ReadStrategicObjectiveRow(RelazioneRow row, RelazioneCell codeCell)
    {
        var area = _area ??= new AreaInProgress(row.LineNumber);
        ReadAreaCells(row, row.Before(codeCell).ToList());

        var code = RelazioneRow.CodeOf(codeCell);
        var valid = StrategicCode.TryParse(codeCell.Text, out var parsed, out var badCode);
        if (valid)
            code = parsed.Value;
        else
            Error(row.LineNumber, $"strategic objective code: {badCode}");
        var after = row.After(codeCell).ToList();
        var titleCell = after.FirstOrDefault(c => c.Kind == CellKind.Text);
        if (titleCell is null)
        {
            Error(row.LineNumber, $"strategic objective {code} has no title");
            _objective = null;
            return;
        }
        _objective = new StrategicObjectiveInProgress(code, row.LineNumber, titleCell.Text);
        // A wrong code is reported once: its rows still attach to it, and it is not part of the plan.
        if (!valid)
            _codeLines.TryAdd(code, row.LineNumber);
        else if (_codeLines.TryGetValue(code, out var firstLine))
            Error(row.LineNumber, $"strategic objective {code} appears twice (lines {firstLine} and {row.LineNumber})");
        else
        {
            _codeLines[code] = row.LineNumber;
            area.StrategicObjectives.Add(_objective);
        }

        var rest = after.Where(c => c != titleCell).ToList();
        if (rest.All(c => c.Kind != CellKind.Number) && rest.LastOrDefault() is { } last && LooksLikeAMistypedPercentage(last))
        {
            // The % column holds a word: say so rather than take it for an objective.
            Realization.TryParse(last.Text, out _, out var reason);
            Error(row.LineNumber, $"the percentage of {code}: {reason}");
            rest.Remove(last);
        }
        ReadObjectiveCells(row, rest);
    }

    /// <summary>Area number and name before a code: "Turismo | 4 | 4.1 ...", or the other way round.</summary>
    private void ReadAreaCells(RelazioneRow row, List<RelazioneCell> cells)
    {
        foreach (var cell in cells.Where(c => c.Kind == CellKind.Number))
        {
            if (cell.IsAreaNumber(out var number))
                SetAreaNumber(number, row.LineNumber);
            else
                Error(row.LineNumber, $"\"{cell.Text}\" before the objective code is not an area number");
        }
        var name = cells.Where(c => c.Kind == CellKind.Text).Select(c => c.Text).ToList();
        if (name.Count > 0)
            SetAreaName(string.Join(" ", name), row.LineNumber);
    }

    /// <summary>
    /// A row without a code: more operational objectives of the current strategic objective, the
    /// end of its title, or the area's number and name when they come after its first objectives.
    /// </summary>
    private void ReadContinuationRow(RelazioneRow row)
    {
        var area = _area ??= new AreaInProgress(row.LineNumber);
        var cells = row.Filled.ToList();
        if (FindLateAreaNumber(row, area) is { } numberCell)
        {
            numberCell.IsAreaNumber(out var number);
            SetAreaNumber(number, row.LineNumber);
            var nameCell = cells.LastOrDefault(c => c.Index < numberCell.Index && c.Kind == CellKind.Text)
                ?? cells.First(c => c.Index > numberCell.Index && c.Kind == CellKind.Text);
            SetAreaName(nameCell.Text, row.LineNumber);
            cells.Remove(numberCell);
            cells.Remove(nameCell);
        }
        if (_objective is null)
        {
            ReadTextOutsideObjectives(row, area, cells);
            return;
        }
        ReadObjectiveCells(row, cells);
    }

    /// <summary>Before an area's first code only its name can stand alone on a row.</summary>
    private void ReadTextOutsideObjectives(RelazioneRow row, AreaInProgress area, List<RelazioneCell> cells)
    {
        foreach (var cell in cells)
        {
            if (cell.Kind == CellKind.Text && area.Name is null && !StartsWithBesLabel(cell.Text))
                SetAreaName(cell.Text, row.LineNumber);
            else
                Error(row.LineNumber, $"\"{Shorten(cell.Text)}\" is outside any strategic objective: it comes before the area's first objective code");
        }
    }

    /// <summary>
    /// An area number on a row without a code ("Commercio* | 9 | | urbanistici ..."): a small whole
    /// number beside a name, while the area has none yet. A number that ends the row of an objective
    /// still without % is that %, not an area.
    /// </summary>
    private RelazioneCell? FindLateAreaNumber(RelazioneRow row, AreaInProgress area)
    {
        if (area.Number is not null)
            return null;
        foreach (var cell in row.Filled.Where(c => c.IsAreaNumber(out _)))
        {
            var isMissingPercentage = _objective is { DeclaredRealization: null } && cell == row.Filled[^1];
            var name = row.Filled.LastOrDefault(c => c.Index < cell.Index && c.Kind == CellKind.Text)
                ?? row.Filled.FirstOrDefault(c => c.Index > cell.Index && c.Kind == CellKind.Text);
            if (!isMissingPercentage && name is not null && !StartsWithBesLabel(name.Text))
                return cell;
        }
        return null;
    }

    /// <summary>Cells after a title or on a continuation row: % and operational objectives, in any column.</summary>
    private void ReadObjectiveCells(RelazioneRow row, List<RelazioneCell> cells)
    {
        var objective = _objective!;
        foreach (var cell in cells)
        {
            if (cell.Kind == CellKind.Number)
                SetPercentage(objective, cell, row.LineNumber);
            else if (objective.OperationalObjectives.Count == 0 && row.CodeCell is null && StartsLowercase(cell.Text))
            {
                // A title broken by a page ends on the next row ("... e interventi" / "urbanistici di ...").
                objective.Title += " " + cell.Text;
                Warn(row.LineNumber, $"\"{Shorten(cell.Text)}\" was taken as the end of the title of {objective.Code} (line {objective.Line})");
            }
            else
                AddOperationalObjectives(objective, cell, row.LineNumber);
        }
    }

    private void AddOperationalObjectives(StrategicObjectiveInProgress objective, RelazioneCell cell, int line)
    {
        foreach (var block in HtmlText.Blocks(cell.Raw))
            foreach (var text in SplitAtBesLabels(block))
                objective.OperationalObjectives.Add((text, line));
    }

    /// <summary>
    /// Objectives run together in one cell each start with their own label ("... n. 160 Benessere sociale:
    /// interventi ..."): split before a capitalised "Benessere" + dimensions + ":" or ".". "benessere equo
    /// e sostenibile" names no dimension and is not split.
    /// </summary>
    internal static IEnumerable<string> SplitAtBesLabels(string text) =>
        MidTextBesLabel().Split(text).Select(t => t.Trim()).Where(t => t.Length > 0);

    private void SetPercentage(StrategicObjectiveInProgress objective, RelazioneCell cell, int line)
    {
        if (!Realization.TryParse(cell.Text, out var value, out var reason))
        {
            Error(line, $"the percentage of {objective.Code}: {reason}");
            return;
        }
        if (objective.DeclaredRealization is not null)
        {
            Error(line, $"a second percentage ({cell.Text}) for {objective.Code}: the first is on line {objective.RealizationLine}");
            return;
        }
        objective.DeclaredRealization = value;
        objective.RealizationLine = line;
    }

    private void SetAreaNumber(int number, int line)
    {
        var area = _area!;
        if (area.Number is { } known)
        {
            if (known != number)
                Error(line, $"area number {number}, but the rows since line {area.FirstLine} belong to area {known} (line {area.NumberLine}): is a MEDIA row missing?");
            return;
        }
        if (_areas.FirstOrDefault(a => a.Number == number) is { } earlier)
            Error(line, $"area {number} appears twice (lines {earlier.NumberLine} and {line})");
        area.Number = number;
        area.NumberLine = line;
    }

    private void SetAreaName(string name, int line)
    {
        var area = _area!;
        if (area.Name is not null)
        {
            Error(line, $"a second name \"{Shorten(name)}\" for {area.Describe()}, named \"{area.Name}\" on line {area.NameLine}: is a MEDIA row missing?");
            return;
        }
        // "Commercio*": the star points to the footnote under the table; the name is stored without it.
        var marked = name.EndsWith('*');
        area.Name = name.TrimEnd('*', '\\', ' ');
        area.NameLine = line;
        area.HasFootnoteMark = marked;
    }

    // ---- small helpers ----------------------------------------------------------------------

    /// <summary>A single short word where the % should be ("abc", "n.d."): no operational objective is that short.</summary>
    private static bool LooksLikeAMistypedPercentage(RelazioneCell cell) =>
        cell.Kind == CellKind.Text && cell.Text.Length <= 12 && !cell.Text.Any(char.IsWhiteSpace);

    private static bool StartsWithBesLabel(string text) => OperationalObjectiveLabels.Parse(text).Bes != BesDimension.None;

    private static bool StartsLowercase(string text) => text.FirstOrDefault(char.IsLetter) is var c && char.IsLower(c);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private void Error(int line, string message) => _errors.Add(new ImportProblem(line, message));

    private void Warn(int line, string message) => _warnings.Add(new ImportProblem(line, message));

    [GeneratedRegex(@"^(?:Città|Comune)\s+di\s+\S", RegexOptions.IgnoreCase)]
    private static partial Regex EntityNameHeading();

    [GeneratedRegex(@"LINEE\s+PROGRAMMATICHE\s+DI\s+MANDATO\s+(?<start>\d{4})\s*[-–]\s*(?<end>\d{4})", RegexOptions.IgnoreCase)]
    private static partial Regex MandateHeading();

    [GeneratedRegex(@"OBIETTIVI\s+STRATEGICI\s+(?<start>\d{4})\s*[-–]\s*(?<end>\d{4})")]
    private static partial Regex MandateColumnTitle();

    [GeneratedRegex(@"^ANNO\s+(?<year>\d{4})$", RegexOptions.IgnoreCase)]
    private static partial Regex YearHeading();

    [GeneratedRegex(@"\b(?:19|20)\d{2}\b")]
    private static partial Regex YearInText();

    [GeneratedRegex(@"(?<=\s)(?=Benessere\s+(?i:" + LabelParser.Dimensions + @")\s*[:.]\s*\S)")]
    private static partial Regex MidTextBesLabel();
}
