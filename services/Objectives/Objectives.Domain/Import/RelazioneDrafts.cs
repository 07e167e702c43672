using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Import;

/// <summary>
/// An area strategica while its rows are being read: everything from one MEDIA row to the next.
/// Its number and name may come on any of its rows (area 9 "Commercio*" is named after 9.1 and 9.2).
/// </summary>
internal sealed class AreaInProgress(int firstLine)
{
    public int FirstLine { get; } = firstLine;
    public int? Number { get; set; }
    public int NumberLine { get; set; }
    public string? Name { get; set; }
    public int NameLine { get; set; }
    public bool HasFootnoteMark { get; set; }
    public string? Footnote { get; set; }
    public Realization? DeclaredMean { get; set; }
    public int MediaLine { get; set; }
    public List<StrategicObjectiveInProgress> StrategicObjectives { get; } = [];

    public bool HasContent => Number is not null || Name is not null || StrategicObjectives.Count > 0;

    /// <summary>How a message names the area: by number when known, else by where it starts.</summary>
    public string Describe() => Number is { } n ? $"area {n}" : $"the area starting on line {FirstLine}";

    public AreaDraft ToDraft() => new(
        Number ?? 0,
        Name ?? "",
        Footnote,
        DeclaredMean,
        StrategicObjectives.Select(s => s.ToDraft()).ToList());
}

/// <summary>An obiettivo strategico while its rows are being read.</summary>
internal sealed class StrategicObjectiveInProgress(string code, int line, string title)
{
    public string Code { get; } = code;
    public int Line { get; } = line;
    public string Title { get; set; } = title;
    public Realization? DeclaredRealization { get; set; }
    public int RealizationLine { get; set; }
    public List<(string Text, int Line)> OperationalObjectives { get; } = [];

    /// <summary>The area number its code starts with ("8" for "8.1").</summary>
    public int? AreaPrefix => int.TryParse(Code.Split('.')[0], out var n) ? n : null;

    public StrategicObjectiveDraft ToDraft() => new(
        Code,
        Title,
        DeclaredRealization,
        // The report gives % per strategic objective only: operational ones weigh 1, with no value.
        OperationalObjectives.Select(o => OperationalObjectiveDraft.FromText(o.Text)).ToList());
}
