using PerfPlatform.TestSupport;

namespace PerfPlatform.EndToEndTests;

/// <summary>
/// The portal as a process of its own with no service behind it (every service address answers nothing), for what it
/// does by itself: its key ring, its readiness, its header. Auth:Disabled=true, so its forms are reachable without a login.
/// </summary>
internal sealed record StandalonePortal(HostProcess Process, string Url, string Home) : IAsyncDisposable
{
    public static async Task<StandalonePortal> StartAsync(IDictionary<string, string> extra)
    {
        var url = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}";
        var nowhere = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}";
        var settings = new Dictionary<string, string>
        {
            ["Auth__Disabled"] = "true",
            ["Services__Objectives"] = nowhere,
            ["Services__Scoring"] = nowhere,
            ["Services__Reporting"] = nowhere,
            ["Kestrel__Endpoints__Http__Url"] = url,
            ["Kestrel__Endpoints__Grpc__Protocols"] = "Http2",
        };
        // A home of its own, as each container or pod has: ASP.NET Core's fallback key store is ~/.aspnet/DataProtection-Keys,
        // which processes of one user on one machine would share, hiding a key ring defect (and which a pod loses at every restart).
        var home = Path.Combine(Path.GetTempPath(), "perf-standalone-portal", "home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        settings["HOME"] = home;
        // Its SQLite key ring in that home unless the test says where (a data directory, or ConnectionStrings__PortalDb).
        settings["DataDirectory"] = Path.Combine(home, "data");
        foreach (var (k, v) in extra) settings[k] = v;
        return new StandalonePortal(await HostProcess.StartAsync("web/Portal", settings), url, home);
    }

    /// <summary>Several at once, as the replicas of a first rollout start.</summary>
    public static async Task<StandalonePortal[]> StartTogetherAsync(IDictionary<string, string> settings, int count)
    {
        var starting = Enumerable.Range(0, count).Select(_ => StartAsync(settings)).ToArray();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch (Exception)
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully)) await (await started).DisposeAsync();
            throw;
        }
    }

    /// <summary>Cookies by hand and no redirects followed: the tests look at each answer as it is.</summary>
    public static HttpClient Client() => new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(20) };

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        try { Directory.Delete(Home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
