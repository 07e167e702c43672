using System.Globalization;
using System.Text;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Spreadsheets;

/// <summary>
/// The canonical layout of a plan entered by hand (docs/spreadsheet-layout.md): one header row of
/// Italian column names, then one row per item, its kind in <see cref="Tipo"/>.
/// </summary>
internal static class Layout
{
    public const string SheetName = "piano";

    public const string Tipo = "tipo";
    public const string Anno = "anno";
    public const string Mandato = "mandato";
    public const string Area = "area";
    public const string Codice = "codice";
    public const string Titolo = "titolo";
    public const string Nota = "nota";
    public const string Peso = "peso";
    public const string Valore = "valore";
    public const string Dichiarato = "dichiarato";
    public const string Settori = "settori";
    public const string Baseline = "baseline";
    public const string Target = "target";
    public const string Effettivo = "effettivo";
    public const string Unita = "unità";
    public const string Direzione = "direzione";

    public static IReadOnlyList<string> Columns { get; } =
        [Tipo, Anno, Mandato, Area, Codice, Titolo, Nota, Peso, Valore, Dichiarato, Settori, Baseline, Target, Effettivo, Unita, Direzione];

    /// <summary>Without these no row can be placed in the plan; the figure columns may be left out.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } = [Tipo, Area, Codice, Titolo];

    public const string TipoEnte = "ENTE";
    public const string TipoArea = "AREA";
    public const string TipoOS = "OS";
    public const string TipoOO = "OO";
    public const string TipoIND = "IND";

    /// <summary>The columns each kind of row uses; a value anywhere else is ignored, with a warning.</summary>
    public static IReadOnlyDictionary<string, string[]> ColumnsOf { get; } = new Dictionary<string, string[]>
    {
        [TipoEnte] = [Tipo, Anno, Mandato, Titolo, Dichiarato],
        [TipoArea] = [Tipo, Area, Titolo, Nota, Dichiarato],
        [TipoOS] = [Tipo, Area, Codice, Titolo, Valore, Dichiarato],
        [TipoOO] = [Tipo, Codice, Titolo, Peso, Valore, Settori],
        [TipoIND] = [Tipo, Titolo, Baseline, Target, Effettivo, Unita, Direzione],
    };

    /// <summary>"/" in a figure column: not assessed this year, left out of every mean.</summary>
    public const string NotAssessed = "/";

    public const string SectorSeparator = " | ";

    public static IReadOnlyDictionary<IndicatorDirection, string> DirectionWords { get; } = new Dictionary<IndicatorDirection, string>
    {
        [IndicatorDirection.Increase] = "aumento",
        [IndicatorDirection.Decrease] = "diminuzione",
        [IndicatorDirection.Target] = "obiettivo",
    };

    public static CultureInfo Italian { get; } = CultureInfo.GetCultureInfo("it-IT");

    /// <summary>A header as a person may type it: "Unità", "UNITA " and "unità" name the same column.</summary>
    public static string Normalise(string name)
    {
        var decomposed = name.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        return new string(decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
    }
}
