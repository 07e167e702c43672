using System.Text;

namespace PerfPlatform.Reporting.Rendering;

/// <summary>A built text as UTF-8 bytes, encoded chunk by chunk straight into the result (no whole string in between).</summary>
internal static class Utf8
{
    private static readonly UTF8Encoding Encoding = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static byte[] Encode(StringBuilder text, bool withBom)
    {
        var encoder = Encoding.GetEncoder();
        var length = withBom ? Bom.Length : 0;
        foreach (var chunk in text.GetChunks()) length += encoder.GetByteCount(chunk.Span, flush: false);
        length += encoder.GetByteCount([], flush: true);
        encoder.Reset();
        var bytes = new byte[length];
        var at = 0;
        if (withBom)
        {
            Bom.CopyTo(bytes, 0);
            at = Bom.Length;
        }
        foreach (var chunk in text.GetChunks()) at += encoder.GetBytes(chunk.Span, bytes.AsSpan(at), flush: false);
        at += encoder.GetBytes([], bytes.AsSpan(at), flush: true);
        return at == bytes.Length ? bytes : throw new InvalidOperationException("UTF-8 length changed while encoding");
    }
}
