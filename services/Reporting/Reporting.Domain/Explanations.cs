namespace PerfPlatform.Reporting.Domain;

/// <summary>
/// A discrepancy in Italian sentences, from the structured causes and calculation Scoring sends. Scoring decides what
/// reproduces a declared figure (one place for that rule); this only words it.
/// </summary>
public static class Explanations
{
    public static IReadOnlyList<string> Italian(DiscrepancyItem d)
    {
        var lines = new List<string>
        {
            $"Dichiarato {Domain.Italian.Percent(d.Declared)}, calcolato {Domain.Italian.Percent(d.Computed)}" +
            (d.Difference is { } diff ? $" (differenza {Domain.Italian.SignedPercent(diff)})." : "."),
        };
        if (d.Calculation is { } calc) lines.Add(Calculation(d.Level, calc));
        foreach (var cause in d.Causes) lines.Add(Cause(d, cause));
        return lines;
    }

    private static string Calculation(FigureLevel level, CalculationItem calc)
    {
        var included = calc.Inputs.Where(i => i.Included).ToList();
        var excluded = calc.Inputs.Where(i => !i.Included).ToList();
        var text = calc.Rule switch
        {
            CalculationRule.MeanOfAssessed =>
                $"Il calcolato è la media di {included.Count} {Children(level, included.Count)} valutati: " +
                string.Join("; ", included.Select(i => $"{i.Key} {Domain.Italian.Percent(i.Value)}")) + ".",
            CalculationRule.OwnValue => "Nessun elemento sottostante è valutato: vale il valore indicato per la voce stessa.",
            CalculationRule.NotAssessed => "Nessun elemento sottostante è valutato e non c'è un valore proprio: non valutato.",
            _ => "",
        };
        if (excluded.Count > 0)
            text += $" Esclusi perché non valutati (\"/\"): {string.Join(", ", excluded.Select(i => i.Key))}.";
        return text;
    }

    private static string Cause(DiscrepancyItem d, CauseItem cause)
    {
        var who = cause.ChildrenTaken > 0 && cause.ChildrenTaken < cause.ChildKeys.Count
            ? $"{(cause.ChildrenTaken == 1 ? "uno" : cause.ChildrenTaken.ToString())} tra {Names(d.Level, cause.ChildKeys)}"
            : Names(d.Level, cause.ChildKeys);
        var gives = cause.Reproduced is { } r && !cause.ReproducesDeclared ? $" (darebbe {Domain.Italian.Percent(r)})" : "";
        var verdict = cause.ReproducesDeclared ? "" : " Questa ipotesi non riproduce il dichiarato.";
        return cause.Cause switch
        {
            DiscrepancyCause.ChildLeftOut =>
                $"Il dichiarato {Domain.Italian.Percent(d.Declared)} è la media senza {who}, lasciati fuori dal calcolo{gives}.{verdict}",
            DiscrepancyCause.ChildCountedTwice =>
                $"Il dichiarato {Domain.Italian.Percent(d.Declared)} è la media con {who} contati due volte{gives}.{verdict}",
            DiscrepancyCause.DeclaredChildValue =>
                $"Il dichiarato {Domain.Italian.Percent(d.Declared)} segue dal valore dichiarato, non da quello calcolato, di {who}{gives}.{verdict}",
            DiscrepancyCause.StaleChildValue =>
                $"Il dichiarato {Domain.Italian.Percent(d.Declared)} segue da un valore non aggiornato di {who}{gives}.{verdict}",
            DiscrepancyCause.RoundedBefore =>
                $"Il dichiarato si ottiene arrotondando i valori a {cause.Decimals} decimali prima della media{gives}.{verdict}",
            DiscrepancyCause.RoundedAfter =>
                $"Il dichiarato si ottiene arrotondando (o troncando) diversamente la media a {cause.Decimals} decimali{gives}.{verdict}",
            DiscrepancyCause.NoneFound =>
                "Nessuna delle cause verificate (un elemento escluso o contato due volte, un valore dichiarato o non aggiornato, " +
                "un arrotondamento) riproduce il dichiarato.",
            _ => $"Causa non riconosciuta{gives}.",
        };
    }

    private static string Children(FigureLevel level, int count) => level switch
    {
        FigureLevel.Entity => count == 1 ? "area" : "aree",
        FigureLevel.Area => count == 1 ? "obiettivo strategico" : "obiettivi strategici",
        _ => count == 1 ? "obiettivo operativo" : "obiettivi operativi",
    };

    private static string Names(FigureLevel level, IReadOnlyList<string> keys)
    {
        var list = string.Join(", ", keys);
        return level switch
        {
            FigureLevel.Entity => keys.Count == 1 ? $"l'area {list}" : $"le aree {list}",
            FigureLevel.Area => keys.Count == 1 ? $"l'obiettivo strategico {list}" : $"gli obiettivi strategici {list}",
            _ => keys.Count == 1 ? $"l'obiettivo operativo {list}" : $"gli obiettivi operativi {list}",
        };
    }
}
