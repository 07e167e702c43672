using System.Diagnostics;
using System.Text;
using Grpc.Net.Client;
using Microsoft.Playwright;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.BrowserTests;

/// <summary>
/// One platform for every browser test, started as the README starts it (<c>bash scripts/run.sh</c> on free
/// ports with its own data directory), and one headless Debian Chromium driven by Playwright.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private readonly StringBuilder output = new();
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "perf-portal-browser-tests", Guid.NewGuid().ToString("N"));
    private Process? script;
    private IPlaywright? playwright;
    private GrpcChannel? channel;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public ObjectivesV1.Objectives.ObjectivesClient Objectives { get; private set; } = null!;
    public static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public async Task InitializeAsync()
    {
        int http = TestEnvironment.FreeTcpPort(), grpc = TestEnvironment.FreeTcpPort(), services = TestEnvironment.FreeTcpPort(), portal = TestEnvironment.FreeTcpPort();
        var info = new ProcessStartInfo("env", ["--default-signal=INT,TERM,HUP", "bash", "scripts/run.sh"])
        {
            WorkingDirectory = TestEnvironment.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["PERF_RUN_NO_BUILD"] = "1"; // this project's references built them
        info.Environment["PERF_RUN_HTTP_PORT"] = http.ToString();
        info.Environment["PERF_RUN_GRPC_PORT"] = grpc.ToString();
        info.Environment["PERF_RUN_SERVICES_PORT"] = services.ToString();
        info.Environment["PERF_RUN_PORTAL_PORT"] = portal.ToString();
        info.Environment["PERF_RUN_DATA_DIR"] = dataDir;
        script = Process.Start(info)!;
        script.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        script.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();

        BaseUrl = $"http://127.0.0.1:{http}";
        channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpc}");
        Objectives = new ObjectivesV1.Objectives.ObjectivesClient(channel);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        // Ready when the dashboard through the gateway shows the 2023 annex's computed entity level.
        await Probe.UntilAsync(async () =>
        {
            try { return script.HasExited ? "exited" : await client.GetStringAsync($"{BaseUrl}/?anno=2023"); }
            catch (HttpRequestException) { return ""; }
            catch (TaskCanceledException) { return ""; }
        }, page => page == "exited" || page.Contains("data-testid=\"entity-computed\">99,40"), "the 2023 dashboard through the gateway", TimeSpan.FromSeconds(180));
        if (script.HasExited) throw new InvalidOperationException($"run.sh exited early:\n{Log}");

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Artifacts);
    }

    public string Log { get { lock (output) return output.ToString(); } }

    public async Task<IPage> NewPageAsync(string locale = "it-IT")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale, ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (playwright is not null)
        {
            await Browser.CloseAsync();
            playwright.Dispose();
        }
        channel?.Dispose();
        if (script is { HasExited: false })
        {
            // run.sh stops everything it started on SIGTERM.
            using (var kill = Process.Start("kill", ["-s", "TERM", script.Id.ToString()])!) kill.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await script.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { script.Kill(entireProcessTree: true); }
        }
        script?.Dispose();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
