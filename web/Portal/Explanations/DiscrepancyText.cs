using Microsoft.Extensions.Localization;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.Explanations;

/// <summary>
/// Writes a discrepancy's causes and a calculation's rule in the page's language, from Scoring's structured
/// data (never from its English lines). Italian sentences are the resource keys; English is in
/// Resources/Explanations/DiscrepancyText.en.resx.
/// </summary>
public sealed class DiscrepancyText(IStringLocalizer<DiscrepancyText> l)
{
    /// <summary>Two decimals in the reader's culture (99,40 in Italian); "/" when not assessed.</summary>
    public static string Figure(ScoringV1.Score? score) =>
        score is { HasValue: true } ? ((decimal)score.Value).ToString("N2", System.Globalization.CultureInfo.CurrentCulture) : "/";

    /// <summary>How the computed figure was obtained, one sentence.</summary>
    public string Rule(ScoringV1.Calculation calc)
    {
        var included = calc.Inputs.Count(i => i.Included);
        return calc.Rule switch
        {
            ScoringV1.CalculationRule.MeanOfAssessed => calc.Level switch
            {
                ScoringV1.ScoreLevel.StrategicObjective => l["Calcolato come media di {0} obiettivi operativi valutati: {1}.", included, Figure(calc.Result)],
                ScoringV1.ScoreLevel.Area => l["Calcolato come media di {0} obiettivi strategici valutati: {1}.", included, Figure(calc.Result)],
                _ => l["Calcolato come media di {0} aree valutate: {1}.", included, Figure(calc.Result)],
            },
            ScoringV1.CalculationRule.OwnValue =>
                l["Nessuno dei suoi {0} obiettivi operativi è valutato: vale il valore inserito per l'obiettivo, {1}.", calc.Inputs.Count, Figure(calc.Result)],
            _ => l["Nessun elemento valutato: non c'è un valore calcolato."],
        };
    }

    /// <summary>The children left out as not assessed, or null when none is.</summary>
    public string? NotAssessed(ScoringV1.Calculation calc)
    {
        var left = calc.Inputs.Where(i => !i.Included).Select(i => Name(calc, i.Key)).ToList();
        if (left.Count == 0) return null;
        // Operational objectives are named by their long titles: count them, the table lists them.
        if (calc.Level == ScoringV1.ScoreLevel.StrategicObjective)
            return calc.Rule == ScoringV1.CalculationRule.MeanOfAssessed
                ? l["Obiettivi operativi non valutati, esclusi dalla media: {0}.", left.Count].Value
                : null;
        return l["Non valutati, esclusi dalla media: {0}.", string.Join(", ", left)].Value;
    }

    public IEnumerable<string> Causes(ScoringV1.Discrepancy d) => d.Causes.Select(c => Cause(d, c));

    public string Cause(ScoringV1.Discrepancy d, ScoringV1.DiscrepancyExplanation c)
    {
        var calc = d.Calculation;
        var declared = Figure(d.Declared);
        var assessed = calc.Inputs.Count(i => i.Included);
        var feminine = calc.Level == ScoringV1.ScoreLevel.Entity; // the entity's children are aree
        var noun = Children(calc.Level);
        var names = string.Join(", ", c.ChildKeys.Select(k => Name(calc, k)));
        var ofNames = string.Join(", ", c.ChildKeys.Select(k => NameAfterOf(calc, k)));
        var value = Figure(c.ChildValue);
        var alternatives = c.ChildKeys.Count > c.ChildrenTaken;
        var article = Article(assessed, feminine);

        return c.Cause switch
        {
            ScoringV1.DiscrepancyCause.ChildLeftOut when c.ChildrenTaken == 1 && alternatives => feminine
                ? l["{0} è la media di {1} {2} {3} {4}: ne è esclusa una al {5} (può essere una qualsiasi tra {6}).", declared, assessed - 1, article, assessed, noun, value, names]
                : l["{0} è la media di {1} {2} {3} {4}: ne è escluso uno al {5} (può essere uno qualsiasi tra {6}).", declared, assessed - 1, article, assessed, noun, value, names],
            ScoringV1.DiscrepancyCause.ChildLeftOut when c.ChildrenTaken == 1 => feminine
                ? l["{0} è la media di {1} {2} {3} {4}: è esclusa {5} ({6}).", declared, assessed - 1, article, assessed, noun, names, value]
                : l["{0} è la media di {1} {2} {3} {4}: è escluso {5} ({6}).", declared, assessed - 1, article, assessed, noun, names, value],
            ScoringV1.DiscrepancyCause.ChildLeftOut when alternatives => feminine
                ? l["{0} è la media di {1} {2} {3} {4}: ne sono escluse due al {5} (due qualsiasi tra {6}).", declared, assessed - 2, article, assessed, noun, value, names]
                : l["{0} è la media di {1} {2} {3} {4}: ne sono esclusi due al {5} (due qualsiasi tra {6}).", declared, assessed - 2, article, assessed, noun, value, names],
            ScoringV1.DiscrepancyCause.ChildLeftOut => feminine
                ? l["{0} è la media di {1} {2} {3} {4}: sono escluse {5}.", declared, assessed - 2, article, assessed, noun, names]
                : l["{0} è la media di {1} {2} {3} {4}: sono esclusi {5}.", declared, assessed - 2, article, assessed, noun, names],
            ScoringV1.DiscrepancyCause.ChildCountedTwice when alternatives => feminine
                ? l["{0} è la media se una al {1} è contata due volte (una qualsiasi tra {2}).", declared, value, names]
                : l["{0} è la media se uno al {1} è contato due volte (uno qualsiasi tra {2}).", declared, value, names],
            ScoringV1.DiscrepancyCause.ChildCountedTwice => feminine
                ? l["{0} è la media se {1} ({2}) è contata due volte.", declared, names, value]
                : l["{0} è la media se {1} ({2}) è contato due volte.", declared, names, value],
            ScoringV1.DiscrepancyCause.DeclaredChildValue when c.ChildKeys.Count == 1 =>
                l["{0} si ottiene usando il valore dichiarato {1}, {2}, invece di quello calcolato, {3}.", declared, ofNames, value, Figure(Input(calc, c.ChildKeys[0])?.Value)],
            ScoringV1.DiscrepancyCause.DeclaredChildValue =>
                l["{0} si ottiene usando i valori dichiarati {1} invece di quelli calcolati.", declared, ofNames],
            ScoringV1.DiscrepancyCause.StaleChildValue when c.ChildKeys.Count == 1 =>
                l["{0} si ottiene usando il valore precedente {1}, {2}, invece di quello attuale, {3}.", declared, ofNames, value, Figure(Input(calc, c.ChildKeys[0])?.Value)],
            ScoringV1.DiscrepancyCause.StaleChildValue =>
                l["{0} si ottiene usando i valori precedenti {1} invece di quelli attuali.", declared, ofNames],
            ScoringV1.DiscrepancyCause.RoundedBefore =>
                l["{0} è la media dei valori arrotondati prima {1}.", declared, Decimals(c.Decimals)],
            ScoringV1.DiscrepancyCause.RoundedAfter when c.Truncated =>
                l["{0} è la media troncata {1} invece che arrotondata.", declared, Decimals(c.Decimals)],
            ScoringV1.DiscrepancyCause.RoundedAfter =>
                l["{0} è la media arrotondata {1} invece che a due decimali.", declared, Decimals(c.Decimals)],
            _ => l["Nessuna delle cause cercate (un elemento escluso o contato due volte, un valore dichiarato o precedente al posto di quello calcolato, un arrotondamento prima o dopo la media) riproduce {0}.", declared],
        };
    }

    /// <summary>A child as a reader knows it: a code as it is, an area as "area N", an operational objective by its title.</summary>
    public string Name(ScoringV1.Calculation calc, string key) => Input(calc, key) switch
    {
        { Level: ScoringV1.ScoreLevel.Area } => l["area {0}", key],
        { Level: ScoringV1.ScoreLevel.OperationalObjective } input => $"«{input.Label}»",
        _ => key,
    };

    /// <summary>A child after "of": Italian "dell'area 1", "dell'obiettivo 1.13", "di «titolo»".</summary>
    private string NameAfterOf(ScoringV1.Calculation calc, string key) => Input(calc, key) switch
    {
        { Level: ScoringV1.ScoreLevel.Area } => l["dell'area {0}", key],
        { Level: ScoringV1.ScoreLevel.OperationalObjective } input => l["di «{0}»", input.Label],
        _ => l["dell'obiettivo {0}", key],
    };

    /// <summary>The figure's label; the entity level's in the page's language.</summary>
    public string Label(ScoringV1.ScoreLevel level, string label) =>
        level == ScoringV1.ScoreLevel.Entity ? l["Livello medio generale della performance strategica a livello di ente"] : label;

    private static ScoringV1.CalculationInput? Input(ScoringV1.Calculation calc, string key) => calc.Inputs.FirstOrDefault(i => i.Key == key);

    private string Children(ScoringV1.ScoreLevel level) => level switch
    {
        ScoringV1.ScoreLevel.StrategicObjective => l["obiettivi operativi"],
        ScoringV1.ScoreLevel.Area => l["obiettivi strategici"],
        _ => l["aree"],
    };

    private string Decimals(int decimals) => decimals switch
    {
        0 => l["all'unità"],
        1 => l["a un decimale"],
        _ => l["a {0} decimali", decimals],
    };

    /// <summary>
    /// Italian "di 7 degli 8", "di 6 dei 7", "di 8 delle 9": the article agrees with how the number is read
    /// (otto, undici begin with a vowel). English does not use it.
    /// </summary>
    private static string Article(int count, bool feminine)
    {
        if (feminine) return "delle";
        var digits = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return digits[0] == '8' || count == 11 || count == 1 ? "degli" : "dei";
    }
}
