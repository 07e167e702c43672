namespace PerfPlatform.Objectives.Domain.Tests;

/// <summary>
/// Finds the customer's real document as committed under data/ (the platform's seed), walking up from the
/// test binaries, so the tests run from any clone.
/// </summary>
internal static class SharedData
{
    public const string RelazioneLecce2023 = "data/lecce-2023-relazione-performance.txt";

    public static string PathOf(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"\"{relativePath}\" not found in any folder above {AppContext.BaseDirectory}");
    }

    public static string ReadRelazione2023() => File.ReadAllText(PathOf(RelazioneLecce2023));
}
