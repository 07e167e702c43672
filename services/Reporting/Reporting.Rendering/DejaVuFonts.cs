using PdfSharp.Fonts;

namespace PerfPlatform.Reporting.Rendering;

/// <summary>
/// PDFsharp's fonts: DejaVu Sans (Debian's fonts-dejavu-core, which carries every Italian accent), found at run time
/// under /usr/share/fonts and embedded in each PDF. Any family asked for resolves to it.
/// </summary>
public sealed class DejaVuFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans.ttf", Bold = "DejaVuSans-Bold.ttf";
    private static readonly string[] SearchRoots = ["/usr/share/fonts", "/usr/local/share/fonts"];
    private static readonly Lock Gate = new();
    private static bool _installed;
    private readonly Dictionary<string, byte[]> _faces;

    private DejaVuFonts(Dictionary<string, byte[]> faces) => _faces = faces;

    /// <summary>Sets the resolver once per process (PDFsharp's setting is global and may not change after first use).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            var faces = new Dictionary<string, byte[]>
            {
                [Regular] = File.ReadAllBytes(Find(Regular)),
                [Bold] = File.ReadAllBytes(Find(Bold)),
            };
            GlobalFontSettings.FontResolver = new DejaVuFonts(faces);
            _installed = true;
        }
    }

    private static string Find(string file) =>
        SearchRoots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, file, SearchOption.AllDirectories))
            .FirstOrDefault()
        ?? throw new InvalidOperationException(
            $"font {file} not found under {string.Join(" or ", SearchRoots)}: install Debian's fonts-dejavu-core (scripts/install-deps.sh does)");

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? Bold : Regular);

    public byte[] GetFont(string faceName) => _faces[faceName];
}
