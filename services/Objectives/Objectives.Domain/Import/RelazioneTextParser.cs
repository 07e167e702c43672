using System.Text;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Import;

/// <summary>
/// Imports the table of a Relazione sulla Performance (annex 2, as the Città di Lecce publishes it) from
/// its tab-separated text conversion. Cells are recognised by content, never by column: the PDF
/// conversion lost the merged cells and shifts rows left and right.
/// All or nothing: any error throws <see cref="PlanImportException"/> listing every error found.
/// </summary>
public static class RelazioneTextParser
{
    /// <summary>The largest input accepted: a year's Relazione is a few hundred kilobytes.</summary>
    public const int MaxInputBytes = 10 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ImportOutcome Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var size = Encoding.UTF8.GetByteCount(text);
        if (size > MaxInputBytes)
            throw TooLarge($"{size} bytes");
        RejectBinary(text.IndexOf('\0'), text);
        // A byte order mark survives Encoding.UTF8.GetString: it is no part of the first heading.
        text = text.TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(text))
            throw Fail(0, "the file is empty");

        var reader = new RelazioneReader();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
            reader.Read(i + 1, lines[i]);
        var plan = reader.Finish();

        var errors = reader.Errors.ToList();
        if (plan is not null)
            errors.AddRange(PlanValidator.Validate(plan));
        if (errors.Count > 0 || plan is null)
            throw new PlanImportException(errors.OrderBy(e => e.Line).ToList());
        return new ImportOutcome(plan, reader.Warnings.OrderBy(w => w.Line).ToList());
    }

    /// <summary>Reads a UTF-8 stream (a BOM is allowed), stopping as soon as it passes <see cref="MaxInputBytes"/>.</summary>
    public static ImportOutcome Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = ReadAtMost(stream, MaxInputBytes);
        RejectBinary(Array.IndexOf(bytes, (byte)0), bytes);
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw Fail(0, $"the file is not UTF-8 text (invalid bytes at offset {e.Index}): export the Relazione as UTF-8");
        }
        return Parse(text);
    }

    private static byte[] ReadAtMost(Stream stream, int limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
                throw TooLarge($"more than {limit} bytes");
        }
        return buffer.ToArray();
    }

    /// <summary>A NUL byte never occurs in a text export: this is a PDF, a spreadsheet or an image.</summary>
    private static void RejectBinary(int nulAt, string text)
    {
        if (nulAt >= 0)
            throw Binary(1 + text.AsSpan(0, nulAt).Count('\n'));
    }

    private static void RejectBinary(int nulAt, byte[] bytes)
    {
        if (nulAt >= 0)
            throw Binary(1 + bytes.AsSpan(0, nulAt).Count((byte)'\n'));
    }

    private static PlanImportException Binary(int line) =>
        Fail(line, "binary content (a NUL byte): expected the tab-separated text of the Relazione, not a PDF or spreadsheet file");

    private static PlanImportException TooLarge(string size) =>
        Fail(0, $"the input is {size}, over the limit RelazioneTextParser.MaxInputBytes = {MaxInputBytes} bytes (10 MB); nothing was read");

    private static PlanImportException Fail(int line, string message) => new([new ImportProblem(line, message)]);
}
