using Google.Protobuf;
using PerfPlatform.TestSupport;
using V1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Objectives.Tests;

/// <summary>Import requests for the real 2023 annex.</summary>
internal static class Documents
{
    public static string Lecce2023 => LecceDocuments.Relazione2023;

    public static V1.ImportDocumentRequest Relazione(string text, bool dryRun = false, bool replace = false) => new()
    {
        Content = ByteString.CopyFromUtf8(text), Format = V1.DocumentFormat.RelazioneText, FileName = "relazione.txt",
        DryRun = dryRun, ReplaceExisting = replace,
    };
}
