using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PerfPlatform.TestSupport;

/// <summary>The login page answered again with its error: the user name or password was refused.</summary>
public sealed class LoginRefusedException(string message) : Exception(message);

/// <summary>
/// The embedded identity provider (services/Identity/Identity.Host) as its own process, from its build output (the test
/// project must reference Identity.Host, ReferenceOutputAssembly="false"), with a throwaway data directory, the demo
/// users' password fixed to <see cref="DemoPassword"/> and every client's secret "&lt;id&gt;-dev-only" (as scripts/run.sh).
/// Tokens are real: <see cref="GetClientTokenAsync"/> asks the token endpoint for client credentials, and
/// <see cref="LoginAsync"/> goes through the authorization code flow with PKCE of the portal client, login page included.
/// </summary>
public sealed partial class IdentityProvider : IAsyncDisposable
{
    public const string HostProject = "services/Identity/Identity.Host";
    public const string DemoPassword = "Prova-Demo-2026!";
    public const string PortalClientId = "portal";
    public static readonly string[] ClientIds = ["portal", "scoring", "reporting", "embedded", "city-system-sample"];
    public static string ClientSecret(string clientId) => $"{clientId}-dev-only";

    private readonly IDictionary<string, string> _settings;

    public HostProcess Host { get; private set; }
    /// <summary>The provider's own address (http://127.0.0.1:port/).</summary>
    public Uri Address { get; }
    /// <summary>Auth:Issuer, exactly as the tokens' iss writes it (the provider's address unless given).</summary>
    public string Issuer { get; }
    /// <summary>Identity:PortalUrl: the portal client's redirect URI is this plus /signin-oidc.</summary>
    public string PortalUrl { get; }
    public string DataDirectory { get; }
    public string RedirectUri => PortalUrl.TrimEnd('/') + "/signin-oidc";

    private IdentityProvider(HostProcess host, Uri address, string issuer, string portalUrl, string dataDirectory, IDictionary<string, string> settings)
    {
        Host = host;
        Address = address;
        Issuer = issuer;
        PortalUrl = portalUrl;
        DataDirectory = dataDirectory;
        _settings = settings;
    }

    /// <param name="issuer">Auth:Issuer, e.g. a gateway's browser URL in front of the provider; default the provider's own address.</param>
    /// <param name="portalUrl">Identity:PortalUrl; default http://127.0.0.1:5200 (only its redirect URI matters unless a portal runs there).</param>
    /// <param name="port">The provider's HTTP port (a free one when null).</param>
    /// <param name="extraSettings">More settings (environment variables), e.g. ConnectionStrings__IdentityDb.</param>
    public static async Task<IdentityProvider> StartAsync(string? issuer = null, string? portalUrl = null, int? port = null,
        IDictionary<string, string>? extraSettings = null)
    {
        var httpPort = port ?? TestEnvironment.FreeTcpPort();
        var address = new Uri($"http://127.0.0.1:{httpPort}/");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "perf-identity-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>
        {
            ["DataDirectory"] = dataDirectory,
            ["Auth__Issuer"] = issuer ?? address.ToString(),
            ["Identity__DemoPassword"] = DemoPassword,
            ["Identity__PortalUrl"] = portalUrl ?? "http://127.0.0.1:5200",
        };
        foreach (var id in ClientIds) settings[$"Identity__Clients__{id}__Secret"] = ClientSecret(id);
        foreach (var (k, v) in extraSettings ?? new Dictionary<string, string>()) settings[k] = v;
        var host = await HostProcess.StartHttpAsync(HostProject, settings, httpPort);
        return new IdentityProvider(host, address, settings["Auth__Issuer"], settings["Identity__PortalUrl"], dataDirectory, settings);
    }

    /// <summary>Stops the process and starts it again on the same port and data directory (its keys and users kept).</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Host = await HostProcess.StartHttpAsync(HostProject, _settings, Address.Port);
    }

    /// <summary>A client-credentials access token (no scope: every scope the client may have).</summary>
    public async Task<string> GetClientTokenAsync(string clientId, string secret, params string[] scopes)
    {
        using var http = new HttpClient();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        };
        if (scopes.Length > 0) form["scope"] = string.Join(' ', scopes);
        return await TokenAsync(http, form);
    }

    /// <summary>
    /// Signs <paramref name="user"/> in as a browser would, with the portal client: GET /connect/authorize, the login
    /// page, its form posted with the antiforgery token, the redirects back to the redirect URI, the code exchanged
    /// (with the PKCE verifier) at /connect/token. Returns the access token; a refused login throws
    /// <see cref="LoginRefusedException"/> with the page's message.
    /// </summary>
    public async Task<string> LoginAsync(string user, string password, string scope = "openid profile roles offline_access")
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler);
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var authorize = new Uri(Address, "connect/authorize?" + Query(new Dictionary<string, string>
        {
            ["client_id"] = PortalClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = scope,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = state,
        }));

        // To the login page.
        var (loginUrl, loginPage) = await FollowAsync(http, authorize);
        var form = HiddenInputs(loginPage);
        if (!form.ContainsKey("__RequestVerificationToken"))
            throw new InvalidOperationException($"no login form with an antiforgery token at {loginUrl}:\n{loginPage}");
        form["UserName"] = user;
        form["Password"] = password;
        var action = FormAction().Match(loginPage) is { Success: true } m ? new Uri(loginUrl, WebUtility.HtmlDecode(m.Groups[1].Value)) : loginUrl;
        using var post = await http.PostAsync(action, new FormUrlEncodedContent(form));
        if (post.StatusCode == HttpStatusCode.OK)
        {
            var page = await post.Content.ReadAsStringAsync();
            var error = AlertText().Match(page);
            throw new LoginRefusedException(error.Success ? WebUtility.HtmlDecode(StripTags().Replace(error.Groups[1].Value, "")).Trim() : "the login page answered again");
        }
        if (post.Headers.Location is null)
            throw new InvalidOperationException($"the login form answered {(int)post.StatusCode}: {await post.Content.ReadAsStringAsync()}");

        // Back through /connect/authorize to the redirect URI with the code.
        var location = new Uri(action, post.Headers.Location);
        for (var hops = 0; !location.ToString().StartsWith(RedirectUri, StringComparison.Ordinal); hops++)
        {
            if (hops > 10) throw new InvalidOperationException("too many redirects after the login");
            using var next = await http.GetAsync(location);
            location = next.Headers.Location is { } l ? new Uri(location, l)
                : throw new InvalidOperationException($"{location} answered {(int)next.StatusCode} without a redirect: {await next.Content.ReadAsStringAsync()}");
        }
        var answer = ParseQuery(location.Query);
        if (answer.TryGetValue("error", out var oauthError))
            throw new InvalidOperationException($"authorization refused: {oauthError} {answer.GetValueOrDefault("error_description")}");
        if (answer.GetValueOrDefault("state") != state) throw new InvalidOperationException("the state came back changed");

        return await TokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = answer["code"],
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = PortalClientId,
            ["client_secret"] = ClientSecret(PortalClientId),
        });
    }

    private async Task<string> TokenAsync(HttpClient http, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(new Uri(Address, "connect/token"), new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"the token endpoint answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    private static async Task<(Uri Url, string Body)> FollowAsync(HttpClient http, Uri url)
    {
        for (var hops = 0; hops < 10; hops++)
        {
            using var response = await http.GetAsync(url);
            if (response.Headers.Location is { } location)
            {
                url = new Uri(url, location);
                continue;
            }
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {body}");
            return (url, body);
        }
        throw new InvalidOperationException("too many redirects");
    }

    private static Dictionary<string, string> HiddenInputs(string html)
    {
        var inputs = new Dictionary<string, string>();
        foreach (Match input in InputTag().Matches(html))
        {
            var attributes = Attribute().Matches(input.Value).ToDictionary(a => a.Groups[1].Value.ToLowerInvariant(), a => WebUtility.HtmlDecode(a.Groups[2].Value));
            if (attributes.GetValueOrDefault("type") == "hidden" && attributes.TryGetValue("name", out var name))
                inputs[name] = attributes.GetValueOrDefault("value") ?? "";
        }
        return inputs;
    }

    private static string Query(Dictionary<string, string> parameters) =>
        string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    private static Dictionary<string, string> ParseQuery(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();
    [GeneratedRegex("([a-zA-Z_-]+)=\"([^\"]*)\"")]
    private static partial Regex Attribute();
    [GeneratedRegex("<form\\b[^>]*\\baction=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();
    [GeneratedRegex("<div class=\"alert\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex AlertText();
    [GeneratedRegex("<[^>]+>")]
    private static partial Regex StripTags();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
