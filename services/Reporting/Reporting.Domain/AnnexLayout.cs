namespace PerfPlatform.Reporting.Domain;

/// <summary>
/// The annex laid out as the 2023 Relazione: per area its strategic objectives with their operational objectives and
/// percentages, the MEDIA declared and computed, the entity level, the footnotes; then the consistency section, the
/// views by sector and BES dimension and the area means for the chart. Every format draws from this one layout.
/// </summary>
public sealed record AnnexLayout(
    string EntityName,
    int Year,
    string Mandate,
    long PlanVersion,
    long ScoreVersion,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<AreaSection> Areas,
    FigurePair EntityLevel,
    IReadOnlyList<Footnote> Footnotes,
    IReadOnlyList<ConsistencyRow> Consistency,
    IReadOnlyList<BreakdownItem> BySector,
    IReadOnlyList<BreakdownItem> ByBesDimension)
{
    public string Title => $"Relazione sulla Performance {Year}";
    public string Subtitle => $"Allegato 2: obiettivi strategici e operativi, linee programmatiche di mandato {Mandate}";
    public string Versions => $"Versione del piano {PlanVersion}, versione dei punteggi {ScoreVersion}";

    public static AnnexLayout Of(Annex annex)
    {
        var plan = annex.Plan;
        var scored = annex.Scores.Version > 0;
        var footnotes = new List<Footnote>();
        var areas = new List<AreaSection>();
        foreach (var area in plan.Areas.OrderBy(a => a.Number))
        {
            string marker = "";
            if (!string.IsNullOrWhiteSpace(area.Footnote))
            {
                marker = new string('*', footnotes.Count + 1);
                footnotes.Add(new Footnote(marker, area.Footnote.Trim()));
            }
            var scores = annex.ScoresOf(area.Number);
            var strategic = area.StrategicObjectives
                .OrderBy(s => s.Code, CodeOrder.Instance)
                .Select(s =>
                {
                    var score = annex.ScoresOf(area.Number, s.Code);
                    var declared = s.Declared.HasValue || s.Declared.NotAssessed ? s.Declared : Figure.Of(score?.Declared);
                    return new StrategicRow(s.Code, s.Title, declared, Computed(score?.Computed, scored),
                        s.OperationalObjectives.Select(o => new OperationalRow(
                            o.Id, o.Title, o.BesDimensions, o.CrossCutting, o.InterSectorNote, o.Funding, o.Sectors, o.Realization)).ToList());
                }).ToList();
            var declaredMean = area.DeclaredMean.HasValue || area.DeclaredMean.NotAssessed ? area.DeclaredMean : Figure.Of(scores?.Declared);
            areas.Add(new AreaSection(area.Number, area.Name, marker, strategic, new FigurePair(declaredMean, Computed(scores?.Computed, scored))));
        }

        var declaredEntity = plan.DeclaredEntityLevel.HasValue ? plan.DeclaredEntityLevel : Figure.Of(annex.Scores.DeclaredEntityLevel);
        var consistency = annex.Scores.Discrepancies.Select(d => new ConsistencyRow(
            d.Level, d.Key, d.Label, d.Declared, d.Computed, d.Difference, Explanations.Italian(d))).ToList();
        return new AnnexLayout(
            plan.EntityName, plan.Year, $"{plan.MandateStartYear} - {plan.MandateEndYear}", plan.Version, annex.Scores.Version,
            annex.GeneratedAt, areas, new FigurePair(declaredEntity, Computed(annex.Scores.EntityLevel, scored)), footnotes, consistency,
            annex.Scores.BySector, annex.Scores.ByBesDimension);
    }

    /// <summary>Once scored, no computed value means not assessed ("/"); before, nothing is shown.</summary>
    private static Figure Computed(decimal? value, bool scored) => value is not null ? Figure.Of(value) : scored ? Figure.Slash : Figure.None;
}

public readonly record struct FigurePair(Figure Declared, Figure Computed)
{
    /// <summary>Both given and different at two decimals: the annex marks it.</summary>
    public bool Differ => Declared.Value is { } d && Computed.Value is { } c && Italian.Round(d) != Italian.Round(c);
}

public sealed record AreaSection(int Number, string Name, string FootnoteMarker, IReadOnlyList<StrategicRow> StrategicObjectives, FigurePair Mean)
{
    public string Heading => $"Area {Number} - {Name}{FootnoteMarker}";
    public int OperationalCount => StrategicObjectives.Sum(s => s.OperationalObjectives.Count);
}

/// <param name="Declared">The % the Relazione declared ("/" where it printed not assessed).</param>
/// <param name="Computed">The % Scoring computed (null: not assessed).</param>
public sealed record StrategicRow(string Code, string Title, Figure Declared, Figure Computed, IReadOnlyList<OperationalRow> OperationalObjectives)
{
    public bool Differ => new FigurePair(Declared, Computed).Differ;
}

public sealed record OperationalRow(
    string Id, string Title, IReadOnlyList<string> BesDimensions, bool CrossCutting, string InterSectorNote, IReadOnlyList<string> FundingReferences,
    IReadOnlyList<string> SectorNames, Figure Realization)
{
    /// <summary>"Istituzionale, Sociale".</summary>
    public string Bes => string.Join(", ", BesDimensions);
    public string Funding => string.Join("; ", FundingReferences);
    public string Sectors => string.Join(", ", SectorNames);
}

public sealed record Footnote(string Marker, string Text);

public sealed record ConsistencyRow(
    FigureLevel Level, string Key, string Label, decimal? Declared, decimal? Computed, decimal? Difference, IReadOnlyList<string> Explanation);

/// <summary>Objective codes in numeric order: 1.2 before 1.10.</summary>
public sealed class CodeOrder : IComparer<string>
{
    public static CodeOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var a = (x ?? "").Trim('.').Split('.');
        var b = (y ?? "").Trim('.').Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = int.TryParse(a[i], out var na) && int.TryParse(b[i], out var nb) ? na.CompareTo(nb) : string.CompareOrdinal(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }
}
