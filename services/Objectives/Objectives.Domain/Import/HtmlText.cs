using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PerfPlatform.Objectives.Domain.Import;

/// <summary>
/// Turns the HTML a PDF converter left inside a cell into clean text, keeping every word.
/// A &lt;p&gt; is a block of its own (in the Relazione, one operational objective); the items of a
/// list belong to the block before them ("... le seguenti direttrici:" then "- Una città ...").
/// </summary>
internal static partial class HtmlText
{
    /// <summary>The cell's blocks: its paragraphs, and any text outside them, in order.</summary>
    public static IReadOnlyList<string> Blocks(string cell)
    {
        var blocks = new List<string>();
        var current = new StringBuilder();
        var inList = false;
        var position = 0;

        foreach (Match tag in Tag().Matches(cell))
        {
            current.Append(cell, position, tag.Index - position);
            position = tag.Index + tag.Length;
            var name = tag.Groups["name"].Value.ToLowerInvariant();
            var closing = tag.Groups["slash"].Success;
            switch (name)
            {
                case "p" or "div" when !inList:
                    Flush(blocks, current);
                    break;
                case "ul" or "ol":
                    // Loose text before a list is a block of its own; the items then join it.
                    if (closing) FlushInto(blocks, current);
                    else Flush(blocks, current);
                    inList = !closing;
                    break;
                case "li":
                    FlushInto(blocks, current);
                    break;
                case "br":
                    current.Append(' ');
                    break;
                // <b>, <i>, <span> and the like only style the text.
            }
        }
        current.Append(cell, position, cell.Length - position);
        if (inList) FlushInto(blocks, current);
        else Flush(blocks, current);
        return blocks;
    }

    /// <summary>The whole cell as one line of clean text.</summary>
    public static string Plain(string cell) => Join(Blocks(cell));

    /// <summary>
    /// Joins pieces of text: with a space after ";", ":", "." and the like (the items already carry
    /// their punctuation), with "; " otherwise, so that no two items run into one another.
    /// </summary>
    public static string Join(IEnumerable<string> pieces)
    {
        var text = new StringBuilder();
        foreach (var piece in pieces)
        {
            if (text.Length > 0)
                text.Append(EndsWithPunctuation(text) ? " " : "; ");
            text.Append(piece);
        }
        return text.ToString();
    }

    /// <summary>Decodes entities (&amp;amp;, &amp;nbsp;) and collapses runs of white space.</summary>
    public static string Clean(string text) =>
        Spaces().Replace(WebUtility.HtmlDecode(text).Replace('\u00A0', ' '), " ").Trim();

    private static void Flush(List<string> blocks, StringBuilder current)
    {
        var text = Clean(current.ToString());
        current.Clear();
        if (text.Length > 0) blocks.Add(text);
    }

    /// <summary>Appends a list item (or stray list text) to the last block, or starts one.</summary>
    private static void FlushInto(List<string> blocks, StringBuilder current)
    {
        var text = Clean(current.ToString());
        current.Clear();
        if (text.Length == 0) return;
        if (blocks.Count == 0) blocks.Add(text);
        else blocks[^1] = Join([blocks[^1], text]);
    }

    private static bool EndsWithPunctuation(StringBuilder text) => text[^1] is ';' or ':' or '.' or ',' or '!' or '?';

    // Only the tags of an HTML table cell: any other "<...>" is the document's own text and stays.
    [GeneratedRegex(@"<(?<slash>/)?(?<name>p|div|span|b|strong|i|em|u|s|ul|ol|li|br|font|sup|sub|a|h[1-6])\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
