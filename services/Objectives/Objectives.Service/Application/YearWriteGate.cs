using System.Collections.Concurrent;

namespace PerfPlatform.Objectives.Application;

/// <summary>
/// Lets one change at a time into each year within this process, so concurrent callers queue instead of
/// colliding on the year's version. Across replicas the version's optimistic check still decides.
/// </summary>
public sealed class YearWriteGate
{
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _years = new();

    public async Task<IDisposable> EnterAsync(int year, CancellationToken ct)
    {
        var gate = _years.GetOrAdd(year, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
