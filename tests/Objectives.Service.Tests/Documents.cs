using Google.Protobuf;
using PerfPlatform.TestSupport;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Tests;

/// <summary>The real 2023 annex and variants of it for other years.</summary>
internal static class Documents
{
    public static string Lecce2023 { get; } = File.ReadAllText(TestEnvironment.LecceRelazione2023);

    /// <summary>The same report for another year (mandate shifted to contain it), so tests do not collide.</summary>
    public static string LecceFor(int year) =>
        Lecce2023.Replace("2019 - 2024", $"{year - 4} - {year + 1}").Replace("2023", year.ToString());

    public static V1.ImportDocumentRequest Relazione(string text, bool dryRun = false, bool replace = false) => new()
    {
        Content = ByteString.CopyFromUtf8(text), Format = V1.DocumentFormat.RelazioneText, FileName = "relazione.txt",
        DryRun = dryRun, ReplaceExisting = replace,
    };
}
