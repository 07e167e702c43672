using System.Collections.Concurrent;
using PerfPlatform.Reporting.Domain;
using PerfPlatform.Reporting.Rendering;

namespace PerfPlatform.Reporting.Application;

/// <summary>
/// The last rendering of each year and format, reused while the year's versions stay the same. Requests that arrive
/// together for a rendering not made yet share one: a 10,000-objective PDF takes a core for a third of a second, and a
/// year's publication brings many readers at once.
/// </summary>
public sealed class ReportCache
{
    private readonly Func<Annex, ReportFormat, byte[]> _render;
    private readonly ConcurrentDictionary<(int Year, ReportFormat Format), Rendering> _reports = new();

    public ReportCache() : this(ReportRenderer.Render) { }

    /// <param name="render">How a report is made (tests count the renderings).</param>
    internal ReportCache(Func<Annex, ReportFormat, byte[]> render) => _render = render;

    private sealed record Rendering(long Plan, long Scores, DateTimeOffset At, Lazy<byte[]> Content)
    {
        public bool Of(Annex annex) => Plan == annex.Plan.Version && Scores == annex.Scores.Version && At == annex.GeneratedAt;
    }

    public byte[] Get(Annex annex, ReportFormat format)
    {
        var key = (annex.Year, format);
        while (true)
        {
            if (_reports.TryGetValue(key, out var held) && held.Of(annex)) return Take(key, held);
            var fresh = new Rendering(annex.Plan.Version, annex.Scores.Version, annex.GeneratedAt,
                new Lazy<byte[]>(() => _render(annex, format), LazyThreadSafetyMode.ExecutionAndPublication));
            if (held is null ? _reports.TryAdd(key, fresh) : _reports.TryUpdate(key, fresh, held)) return Take(key, fresh);
            // Another request put its rendering in between: look again.
        }
    }

    private byte[] Take((int Year, ReportFormat Format) key, Rendering rendering)
    {
        try
        {
            return rendering.Content.Value;
        }
        catch
        {
            // A rendering that failed is not kept: the next request tries again.
            _reports.TryRemove(KeyValuePair.Create(key, rendering));
            throw;
        }
    }
}
