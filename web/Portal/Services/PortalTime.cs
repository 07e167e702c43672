namespace PerfPlatform.Portal.Services;

/// <summary>
/// The comune's clock: times are shown, and day filters are read, in Italian time (Europe/Rome), whatever the
/// server's own zone, so that "from 1 March" means the same day to staff and to the audit trail.
/// </summary>
public static class PortalTime
{
    public static TimeZoneInfo Zone { get; } = Find();

    private static TimeZoneInfo Find()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Local; }
        catch (InvalidTimeZoneException) { return TimeZoneInfo.Local; }
    }

    public static DateTimeOffset ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>The instant the day begins in Italian time.</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>Date and time as the reader's culture writes them (13/03/2025 14:05 in Italian).</summary>
    public static string Show(DateTimeOffset at) => ToLocal(at).ToString("g", System.Globalization.CultureInfo.CurrentCulture);
}
