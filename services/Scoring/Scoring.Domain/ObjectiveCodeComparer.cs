namespace PerfPlatform.Scoring.Domain;

/// <summary>
/// Orders codes as the document does: 1.2 before 1.10, by number part by part.
/// A trailing dot ("8.1.") is ignored; a non-numeric part falls back to ordinal order.
/// </summary>
public sealed class ObjectiveCodeComparer : IComparer<string>
{
    public static ObjectiveCodeComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var left = x.Split('.', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var right = y.Split('.', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            var byPart = int.TryParse(left[i], out var l) && int.TryParse(right[i], out var r)
                ? l.CompareTo(r)
                : string.CompareOrdinal(left[i], right[i]);
            if (byPart != 0) return byPart;
        }
        var byLength = left.Length.CompareTo(right.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }
}
