namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// What the conventional labels in an operational objective's text say about it.
/// </summary>
/// <param name="Bes">BES dimensions from a leading "Benessere X:" label (None when unlabelled).</param>
/// <param name="CrossCutting">"OB. TRASV.": an obiettivo trasversale carried by every sector.</param>
/// <param name="InterSectorNote">"obiettivo intersettoriale con ...": the sectors it is shared with, as written.</param>
/// <param name="FundingReferences">PNRR / CIS references ("PNRR M5C2", "PNRR M2C4 I2.1", "CIS").</param>
public sealed record OperationalObjectiveLabels(
    BesDimension Bes,
    bool CrossCutting,
    string? InterSectorNote,
    IReadOnlyList<string> FundingReferences)
{
    public static OperationalObjectiveLabels None { get; } = new(BesDimension.None, false, null, []);

    /// <summary>Reads the labels from an objective's clean text.</summary>
    public static OperationalObjectiveLabels Parse(string text) => LabelParser.Parse(text);
}
