using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PerfPlatform.Bench;

/// <summary>
/// Sleeps until a <see cref="Stopwatch"/> timestamp, to within a few tens of microseconds, without spinning. The open
/// loop used <c>Task.Delay</c>, whose millisecond timer woke it 1-2 ms late and irregularly: calls due 5 ms apart left
/// 0.05-11 ms apart (9 % under 1 ms), so the load came in bursts the schedule does not have (docs/benchmarks.md, session 13).
/// On Linux, where <see cref="Stopwatch"/> reads CLOCK_MONOTONIC in nanoseconds, this is <c>clock_nanosleep</c> to an
/// absolute time; elsewhere a millisecond sleep.
/// </summary>
internal static partial class Pacer
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsolute = 1;
    private static readonly bool Precise = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    public static void SleepUntil(long timestamp)
    {
        if (Precise)
        {
            var at = new TimeSpec { Seconds = timestamp / 1_000_000_000, Nanoseconds = timestamp % 1_000_000_000 };
            // Interrupted by a signal (EINTR): sleep again to the same absolute time.
            while (Stopwatch.GetTimestamp() < timestamp && clock_nanosleep(ClockMonotonic, TimerAbsolute, in at, IntPtr.Zero) == 4) { }
            return;
        }
        var wait = timestamp - Stopwatch.GetTimestamp();
        if (wait > 0) Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_nanosleep(int clockId, int flags, in TimeSpec request, IntPtr remaining);
}
