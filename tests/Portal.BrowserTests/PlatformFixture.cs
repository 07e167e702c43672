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
    /// <summary>The portal itself, not through the gateway (to play the gateway's forwarded headers).</summary>
    public string PortalUrl { get; private set; } = "";

    /// <summary>
    /// Login is on when the identity provider is in the tree (branch s6-identity merged): run.sh then starts it and gives
    /// the hosts their Auth settings. Before that the platform runs with Auth:Disabled=true (no login, everything allowed).
    /// </summary>
    public static bool AuthEnabled { get; } = File.Exists(Path.Combine(TestEnvironment.RepositoryRoot, "services", "Identity", "Identity.Host", "Identity.Host.csproj"));

    /// <summary>The password of every demo user (admin, controllo, dirigente, oiv, lettore): Identity:DemoPassword, which run.sh must pass on.</summary>
    public const string DemoPassword = "Demo-Password-2023!";
    public IBrowser Browser { get; private set; } = null!;
    public ObjectivesV1.Objectives.ObjectivesClient Objectives { get; private set; } = null!;
    public static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public async Task InitializeAsync()
    {
        var ports = new RunScriptPorts();
        int http = ports.Http, grpc = ports.Grpc, portal = ports.Portal;
        var info = new ProcessStartInfo("env", ["--default-signal=INT,TERM,HUP", "bash", "scripts/run.sh"])
        {
            WorkingDirectory = TestEnvironment.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["PERF_RUN_NO_BUILD"] = "1"; // this project's references built them
        ports.ApplyTo(info);
        info.Environment["PERF_RUN_DATA_DIR"] = dataDir;
        info.Environment["Identity__DemoPassword"] = DemoPassword;
        if (!AuthEnabled) info.Environment["Auth__Disabled"] = "true";
        script = Process.Start(info)!;
        script.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        script.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();

        // localhost, as run.sh registers the portal's redirect URI with the provider (Identity:PortalUrl).
        BaseUrl = $"http://localhost:{http}";
        PortalUrl = $"http://localhost:{portal}";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        // Ready when the dashboard through the gateway shows the 2023 annex's computed entity level (or, with login on and
        // 2023 not published, asks to log in: the services answer).
        await Probe.UntilAsync(async () =>
        {
            try { return script.HasExited ? "exited" : await (await client.GetAsync($"{BaseUrl}/?anno=2023")).Content.ReadAsStringAsync(); }
            catch (HttpRequestException) { return ""; }
            catch (TaskCanceledException) { return ""; }
        }, page => page == "exited" || page.Contains("data-testid=\"entity-computed\">99,40") || page.Contains("data-testid=\"sign-in-required\""), "the 2023 dashboard through the gateway", TimeSpan.FromSeconds(180));
        if (script.HasExited) throw new InvalidOperationException($"run.sh exited early:\n{Log}");
        channel = await ChannelAsync($"http://127.0.0.1:{grpc}", client);
        Objectives = new ObjectivesV1.Objectives.ObjectivesClient(channel);

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Artifacts);
    }

    /// <summary>
    /// The tests' own gRPC channel: with login on, as the machine client city-system-sample (run.sh's secret
    /// <c>city-system-sample-dev-only</c>; scopes perf.read perf.write perf.import), by client credentials.
    /// </summary>
    private async Task<GrpcChannel> ChannelAsync(string address, HttpClient http)
    {
        if (!AuthEnabled) return GrpcChannel.ForAddress(address);
        using var response = await http.PostAsync($"{BaseUrl}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "city-system-sample", ["client_secret"] = "city-system-sample-dev-only",
            ["scope"] = "perf.read perf.write perf.import",
        }));
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("access_token").GetString()!;
        var credentials = Grpc.Core.CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return Task.CompletedTask;
        });
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            Credentials = Grpc.Core.ChannelCredentials.Create(Grpc.Core.ChannelCredentials.Insecure, credentials), UnsafeUseInsecureChannelCallCredentials = true,
        });
    }

    public string Log { get { lock (output) return output.ToString(); } }

    public async Task<IPage> NewPageAsync(string locale = "it-IT")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale, ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Logs the page in as a demo user through the provider's real login page, back on <paramref name="returnPath"/>.
    /// Without login (Auth:Disabled) it only opens the page.
    /// </summary>
    public async Task SignInAsync(IPage page, string user, string returnPath = "/")
    {
        if (!AuthEnabled)
        {
            await page.GotoAsync(BaseUrl + returnPath);
            return;
        }
        await page.GotoAsync($"{BaseUrl}/accedi?returnUrl={Uri.EscapeDataString(returnPath)}");
        // The provider's login form (Identity.Host's /account/login; Keycloak's is alike): a user name and a password.
        await page.Locator("input[name=Username i], input[name=username], input[autocomplete=username]").First.FillAsync(user);
        await page.Locator("input[type=password]").First.FillAsync(DemoPassword);
        await page.Locator("form button[type=submit], form input[type=submit]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
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
