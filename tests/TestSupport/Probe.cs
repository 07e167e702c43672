namespace PerfPlatform.TestSupport;

/// <summary>Waits for an eventually consistent result: polls every 20 ms until it holds or the time is up.</summary>
public static class Probe
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> sample, Func<T, bool> satisfied, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        T last = default!;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await sample();
                if (satisfied(last)) return last;
                lastError = null;
            }
            catch (Exception ex)
            {
                lastError = ex;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"Timed out waiting for {what}; last sample: {last}", lastError);
    }
}
