using System.Text.RegularExpressions;
using PerfPlatform.Objectives.Domain.Import;
using PerfPlatform.Objectives.Domain.Plan;
using static PerfPlatform.Objectives.Spreadsheets.Layout;

namespace PerfPlatform.Objectives.Spreadsheets;

/// <summary>One row of a sheet or CSV file: its line (header = 1 when it is the first) and its cells, text or numbers.</summary>
internal sealed record SheetRow(int Line, IReadOnlyList<object?> Cells);

/// <summary>
/// Builds a plan from the rows of the layout. It reads on past every problem, so that a person gets the
/// whole list at once, and returns a plan only when there is none.
/// </summary>
internal sealed partial class PlanReader(List<ImportProblem> errors, List<ImportProblem> warnings)
{
    private IReadOnlyDictionary<string, int> columns = new Dictionary<string, int>();
    private EntityRow? entity;
    private readonly Dictionary<int, AreaRow> areas = [];
    private readonly Dictionary<string, StrategicObjectiveRow> strategic = [];
    private StrategicObjectiveRow? lastStrategic;
    private OperationalObjectiveRow? lastOperational;

    public static ImportOutcome Read(IEnumerable<SheetRow> rows, List<ImportProblem> errors, List<ImportProblem> warnings)
    {
        var reader = new PlanReader(errors, warnings);
        var plan = reader.ReadAll(rows);
        // The rows were checked one by one, with their lines; what is left are the rules of the plan as a whole.
        if (plan is not null)
            errors.AddRange(PlanValidator.Validate(plan));
        if (errors.Count > 0 || plan is null)
            throw new PlanImportException(errors.OrderBy(e => e.Line).ToList());
        return new ImportOutcome(plan, warnings.OrderBy(w => w.Line).ToList());
    }

    private PlanDocument? ReadAll(IEnumerable<SheetRow> sheetRows)
    {
        var rows = sheetRows.Where(row => row.Cells.Any(cell => Cells.Text(cell) is not null)).ToList();
        if (rows.Count == 0)
        {
            errors.Add(new(0, "the file is empty: it needs the header row and the plan's rows"));
            return null;
        }
        if (!ReadHeader(rows[0]))
            return null;

        foreach (var row in rows.Skip(1).Select(r => new Row(r, columns, errors, warnings)))
        {
            var tipo = row.Text(Tipo)?.ToUpperInvariant();
            switch (tipo)
            {
                case TipoEnte: ReadEntity(row); break;
                case TipoArea: ReadArea(row); break;
                case TipoOS: ReadStrategicObjective(row); break;
                case TipoOO: ReadOperationalObjective(row); break;
                case TipoIND: ReadIndicator(row); break;
                case null: row.Error(Tipo, "is empty (write ENTE, AREA, OS, OO or IND)"); continue;
                default: row.Error(Tipo, $"\"{row.Text(Tipo)}\" is not a row type (write ENTE, AREA, OS, OO or IND)"); continue;
            }
            WarnAboutIgnoredCells(row, tipo);
        }

        CheckTheWhole();
        return errors.Count > 0 ? null : Build();
    }

    private bool ReadHeader(SheetRow header)
    {
        var known = Columns.ToDictionary(Normalise);
        var found = new Dictionary<string, int>();
        for (var i = 0; i < header.Cells.Count; i++)
        {
            if (Cells.Text(header.Cells[i]) is not { } name)
                continue;
            if (!known.TryGetValue(Normalise(name), out var column))
                warnings.Add(new(header.Line, $"column '{name}' is not part of the layout: its cells are ignored"));
            else if (!found.TryAdd(column, i))
                errors.Add(new(header.Line, $"column '{column}' appears twice in the header"));
        }
        if (!found.ContainsKey(Tipo))
        {
            errors.Add(new(header.Line, "no header: the first row must name the columns, separated by ';': " + string.Join("; ", Columns)));
            return false;
        }
        var missing = RequiredColumns.Where(c => !found.ContainsKey(c)).ToList();
        foreach (var column in missing)
            errors.Add(new(header.Line, $"column '{column}' is missing from the header"));
        columns = found;
        return missing.Count == 0;
    }

    private void ReadEntity(Row row)
    {
        if (entity is not null)
        {
            row.Error(Tipo, $"a second ENTE row (the first is on line {entity.Line}): a file holds one plan");
            return;
        }
        var name = row.Text(Titolo, PlanText.EntityName, required: true);
        var year = row.WholeNumber(Anno, required: true);
        var mandate = ReadMandate(row);
        var known = mandate != default; // a missing or wrong mandate is reported by ReadMandate
        if (year is { } y && PlanningYear.Check(y, known ? mandate.Start : null, known ? mandate.End : null) is { } badYear)
            row.Error(Anno, badYear);
        entity = new EntityRow(row.Line, name ?? "", year ?? 0, mandate.Start, mandate.End, row.Percentage(Dichiarato));
    }

    private static (int Start, int End) ReadMandate(Row row)
    {
        if (row.Required(Mandato) is not { } text)
            return default;
        var match = MandateYears().Match(text);
        if (!match.Success)
        {
            row.Error(Mandato, $"\"{text}\" is not a term of office (write the years as 2019-2024)");
            return default;
        }
        var (start, end) = (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
        if (end < start)
            row.Error(Mandato, $"\"{text}\" ends before it starts");
        return (start, end);
    }

    private void ReadArea(Row row)
    {
        var number = row.WholeNumber(Area, required: true);
        var area = new AreaRow(row.Line, number ?? 0, row.Text(Titolo, PlanText.AreaName, required: true) ?? "",
            row.Text(Nota, PlanText.Footnote, required: false), row.Percentage(Dichiarato));
        if (number is null)
            return;
        if (areas.TryGetValue(number.Value, out var earlier))
            row.Error(Area, $"area {number} is already on line {earlier.Line}");
        else
            areas.Add(number.Value, area);
    }

    private void ReadStrategicObjective(Row row)
    {
        var area = row.WholeNumber(Area, required: true);
        var code = row.Code(Codice);
        var objective = new StrategicObjectiveRow(row.Line, area, code ?? "", row.Text(Titolo, PlanText.Title, required: true) ?? "",
            row.Percentage(Dichiarato), row.Percentage(Valore));
        // Its OO rows follow even when the OS row is wrong: they attach to it rather than cascade into more errors.
        lastStrategic = objective;
        lastOperational = null;
        if (code is null)
            return;
        if (strategic.TryGetValue(code, out var earlier))
            row.Error(Codice, $"OS {code} is already on line {earlier.Line}");
        else
            strategic.Add(code, objective);
    }

    private void ReadOperationalObjective(Row row)
    {
        // The code names the OS; left empty, the OO belongs to the OS row above it.
        StrategicObjectiveRow? parent = null;
        if (row.Text(Codice) is null)
        {
            parent = lastStrategic;
            if (parent is null)
                row.Error(Codice, "OO before any OS: write its OS row above it, or the OS code here");
        }
        else if (row.Code(Codice) is { } code) // a wrong code is reported by Code()
        {
            parent = strategic.GetValueOrDefault(code);
            if (parent is null)
                row.Error(Codice, $"there is no OS {code} above this row");
        }

        var title = row.Text(Titolo, PlanText.Title, required: true);
        var weight = row.Weight(Peso);
        var sectors = row.Text(Settori)?.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        foreach (var sector in sectors)
            if (PlanText.CheckLength(sector, PlanText.Sector) is { } badSector)
                row.Error(Settori, $"the sector \"{sector[..Math.Min(40, sector.Length)]}...\" {badSector}");

        var objective = new OperationalObjectiveRow(title ?? "", weight ?? 1m, row.Percentage(Valore), sectors);
        parent?.OperationalObjectives.Add(objective);
        lastOperational = objective;
    }

    private void ReadIndicator(Row row)
    {
        if (lastOperational is null)
            row.Error(Tipo, "IND before any OO: an indicator belongs to the OO row above it");
        var indicator = new IndicatorDraft(row.Text(Titolo, PlanText.IndicatorName, required: true) ?? "", row.Measure(Baseline),
            row.Measure(Target), row.Measure(Effettivo), row.Text(Unita, PlanText.Unit, required: false), ReadDirection(row));
        lastOperational?.Indicators.Add(indicator);
    }

    private static IndicatorDirection ReadDirection(Row row)
    {
        var words = string.Join(", ", DirectionWords.Values);
        if (row.Required(Direzione, $"is empty (write {words})") is not { } text)
            return default;
        foreach (var (direction, word) in DirectionWords)
            if (string.Equals(text, word, StringComparison.OrdinalIgnoreCase))
                return direction;
        row.Error(Direzione, $"\"{text}\" is not a direction (write {words})");
        return default;
    }

    /// <summary>A filled cell the row's kind does not use would be lost without a word.</summary>
    private void WarnAboutIgnoredCells(Row row, string tipo)
    {
        foreach (var column in columns.Keys.Except(ColumnsOf[tipo]))
            if (row.Text(column) is { } value)
                warnings.Add(new(row.Line, $"column '{column}': \"{value}\" is not used on an {tipo} row and was ignored"));
    }

    private void CheckTheWhole()
    {
        if (entity is null)
            errors.Add(new(0, "no ENTE row: one row with tipo ENTE gives the entity's name (titolo), anno and mandato"));
        foreach (var objective in strategic.Values)
        {
            if (objective.Area is not { } area)
                continue;
            if (!areas.ContainsKey(area))
                errors.Add(new(objective.Line, $"column 'area': OS {objective.Code} is in area {area}, which has no AREA row"));
            else if (StrategicCode.TryParse(objective.Code, out var code, out _) && code.Area != area)
                warnings.Add(new(objective.Line, $"column 'codice': OS {objective.Code} is in area {area}, but its code says area {code.Area}"));
        }
    }

    /// <summary>Areas in the order of their rows, each with its OS rows in file order.</summary>
    private PlanDocument Build() => new(
        entity!.Name, entity.MandateStart, entity.MandateEnd, entity.Year,
        areas.Values.OrderBy(a => a.Line).Select(area => new AreaDraft(area.Number, area.Name, area.Footnote, area.Declared,
            strategic.Values.Where(s => s.Area == area.Number).Select(s => s.ToDraft()).ToList())).ToList(),
        entity.Declared);

    [GeneratedRegex(@"^(\d{4})\s*[-–]\s*(\d{4})$")]
    private static partial Regex MandateYears();

    private sealed record EntityRow(int Line, string Name, int Year, int MandateStart, int MandateEnd, Realization? Declared);

    private sealed record AreaRow(int Line, int Number, string Name, string? Footnote, Realization? Declared);

    private sealed record StrategicObjectiveRow(int Line, int? Area, string Code, string Title, Realization? Declared, Realization? Current)
    {
        public List<OperationalObjectiveRow> OperationalObjectives { get; } = [];

        public StrategicObjectiveDraft ToDraft() =>
            new(Code, Title, Declared, OperationalObjectives.Select(o => o.ToDraft()).ToList()) { CurrentRealization = Current };
    }

    private sealed record OperationalObjectiveRow(string Title, decimal Weight, Realization? Realization, IReadOnlyList<string> Sectors)
    {
        public List<IndicatorDraft> Indicators { get; } = [];

        /// <summary>The labels are not columns: they are read again from the text, as from any other source.</summary>
        public OperationalObjectiveDraft ToDraft() => OperationalObjectiveDraft.FromText(Title) with
        {
            Weight = Weight,
            Realization = Realization,
            Sectors = Sectors,
            Indicators = Indicators,
        };
    }
}
