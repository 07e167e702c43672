using System.Text.RegularExpressions;

namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// Reads the conventional labels of an obiettivo operativo from its clean text:
/// the leading "Benessere X:" BES label, "OB. TRASV.", "obiettivo intersettoriale con ...",
/// and the PNRR / CIS funding references.
/// </summary>
internal static partial class LabelParser
{
    public static OperationalObjectiveLabels Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return OperationalObjectiveLabels.None;
        return new OperationalObjectiveLabels(
            ReadBes(text),
            CrossCutting().IsMatch(text),
            ReadInterSectorNote(text),
            ReadFundingReferences(text));
    }

    /// <summary>
    /// The dimensions of a leading label. The colon is optional: the 2023 document has
    /// "Benessere Ambientale. PNRR ..." and "Benessere Istituzionale e sociale derivanti dall'...".
    /// "benessere equo e sostenibile" names no dimension, so it is no label.
    /// </summary>
    private static BesDimension ReadBes(string text)
    {
        var match = LeadingBesLabel().Match(text);
        return match.Success ? DimensionsOf(match.Groups["dims"].Value) : BesDimension.None;
    }

    internal static BesDimension DimensionsOf(string words)
    {
        var bes = BesDimension.None;
        foreach (Match word in DimensionWord().Matches(words))
        {
            bes |= word.Value.ToLowerInvariant() switch
            {
                "istituzionale" => BesDimension.Istituzionale,
                "sociale" => BesDimension.Sociale,
                "economico" => BesDimension.Economico,
                "ambientale" => BesDimension.Ambientale,
                _ => BesDimension.None,
            };
        }
        return bes;
    }

    /// <summary>The sectors named after "con", as written, without the closing ")" or full stop.</summary>
    private static string? ReadInterSectorNote(string text)
    {
        var match = InterSector().Match(text);
        if (!match.Success)
            return null;
        var note = match.Groups["with"].Value.Trim().TrimEnd('.', ';', ',', ':', ' ');
        return note.Length == 0 ? null : note;
    }

    /// <summary>
    /// PNRR mission codes are normalised to "PNRR MxCy" (plus the investment, "PNRR M2C4 I2.1"), one
    /// reference per component, so that "PNRR.M4C1 e C2" gives "PNRR M4C1" and "PNRR M4C2": a search by
    /// component then finds it. "MIC3" (letter I for digit 1, as in 4.3 "PNRR MIC3. Turismo e cultura")
    /// is read as M1C3, the PNRR component "Turismo e cultura 4.0". A bare "PNRR" is kept as "PNRR" only
    /// when no coded reference says more. CIS stands for "Contratto Istituzionale di Sviluppo".
    /// </summary>
    private static IReadOnlyList<string> ReadFundingReferences(string text)
    {
        var references = new List<string>();
        foreach (Match match in PnrrCode().Matches(text))
        {
            var mission = match.Groups["mission"].Value.Replace('I', '1');
            var investment = match.Groups["investment"].Success ? " " + match.Groups["investment"].Value.Trim() : "";
            references.Add($"PNRR M{mission}C{match.Groups["component"].Value}{investment}");
            foreach (Capture more in match.Groups["more"].Captures)
                references.Add($"PNRR M{mission}C{more.Value}");
        }
        if (references.Count == 0 && BarePnrr().IsMatch(text))
            references.Add("PNRR");
        if (Cis().IsMatch(text) || CisInWords().IsMatch(text))
            references.Add("CIS");
        return references.Distinct().ToList();
    }

    private const string Dimension = @"(?:istituzionale|sociale|economico|ambientale)\b";

    /// <summary>One or more dimensions joined by "e", "ed" or commas.</summary>
    internal const string Dimensions = Dimension + @"(?:\s*,\s*(?:ed?\s+)?" + Dimension + @"|\s+ed?\s+" + Dimension + ")*";

    [GeneratedRegex(@"^\s*benessere\s+(?<dims>" + Dimensions + ")", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingBesLabel();

    [GeneratedRegex(Dimension, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DimensionWord();

    [GeneratedRegex(@"\bOB\.\s*TRASV\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CrossCutting();

    [GeneratedRegex(@"obiettivo\s+intersettoriale\s+con\s+(?<with>[^)]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InterSector();

    [GeneratedRegex(@"\bPNRR[\s.:_-]*M(?<mission>[1-6I])\s*C(?<component>\d)(?:\s+(?<investment>I\d+(?:\.\d+)*))?(?:\s*(?:,|\be\b)\s*C(?<more>\d)\b)*",
        RegexOptions.CultureInvariant)]
    private static partial Regex PnrrCode();

    [GeneratedRegex(@"\bPNRR\b", RegexOptions.CultureInvariant)]
    private static partial Regex BarePnrr();

    // "CIS_ La spiaggia": an underscore after the acronym still counts, so no \b here.
    [GeneratedRegex(@"(?<![A-Za-z])CIS(?![A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex Cis();

    [GeneratedRegex(@"contratto\s+istituzionale\s+di\s+sviluppo", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CisInWords();
}
