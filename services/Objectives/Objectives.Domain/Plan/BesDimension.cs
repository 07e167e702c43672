namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// The BES (Benessere Equo e Sostenibile) dimensions an operational objective serves,
/// read from its "Benessere X:" label. An objective may serve several.
/// </summary>
[Flags]
public enum BesDimension
{
    None = 0,
    Istituzionale = 1,
    Sociale = 2,
    Economico = 4,
    Ambientale = 8,
}
