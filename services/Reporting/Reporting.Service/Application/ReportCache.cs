using System.Collections.Concurrent;
using PerfPlatform.Reporting.Domain;
using PerfPlatform.Reporting.Rendering;

namespace PerfPlatform.Reporting.Application;

/// <summary>The last rendering of each year and format, reused while the year's versions stay the same.</summary>
public sealed class ReportCache
{
    private readonly ConcurrentDictionary<(int Year, ReportFormat Format), (long Plan, long Scores, DateTimeOffset At, byte[] Content)> _reports = new();

    public byte[] Get(Annex annex, ReportFormat format)
    {
        var key = (annex.Year, format);
        if (_reports.TryGetValue(key, out var held) && held.Plan == annex.Plan.Version && held.Scores == annex.Scores.Version && held.At == annex.GeneratedAt)
            return held.Content;
        var content = ReportRenderer.Render(annex, format);
        _reports[key] = (annex.Plan.Version, annex.Scores.Version, annex.GeneratedAt, content);
        return content;
    }
}
