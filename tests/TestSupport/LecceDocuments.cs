namespace PerfPlatform.TestSupport;

/// <summary>The real 2023 annex, and the same report restated for another year so that tests do not collide.</summary>
public static class LecceDocuments
{
    public static string Relazione2023 { get; } = File.ReadAllText(TestEnvironment.LecceRelazione2023);

    /// <summary>The 2023 report as if for <paramref name="year"/> (the mandate shifted to contain it).</summary>
    public static string RelazioneFor(int year) =>
        Relazione2023.Replace("2019 - 2024", $"{year - 4} - {year + 1}").Replace("2023", year.ToString());
}
