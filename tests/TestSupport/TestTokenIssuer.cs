using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PerfPlatform.TestSupport;

/// <summary>
/// A minimal OpenID provider for tests, on a real loopback port: a discovery document, its signing key (JWKS) and a
/// client-credentials token endpoint, so hosts validate tokens exactly as in production (JwtBearer with Auth:Authority) and
/// get their own service tokens. Tests mint people's and machines' tokens directly (<see cref="Token"/>), forged ones
/// (another key) and expired ones. Not the platform's provider (services/Identity): only what access tests need.
/// </summary>
public sealed class TestTokenIssuer : IAsyncDisposable
{
    public const string Audience = "perf-platform";
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static TestTokenIssuer? _shared;

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key;
    private readonly RsaSecurityKey _forger;
    private readonly Dictionary<string, (string Secret, string[] Scopes)> _clients = new(StringComparer.Ordinal);
    private int _tokenRequests;

    /// <summary>The issuer (<c>iss</c>) and the hosts' <c>Auth:Authority</c>, e.g. http://127.0.0.1:40123.</summary>
    public string Issuer { get; }

    /// <summary>Client-credentials tokens handed out so far (hosts cache theirs).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    private TestTokenIssuer(WebApplication app, string issuer, RsaSecurityKey key, RsaSecurityKey forger)
    {
        _app = app;
        Issuer = issuer;
        _key = key;
        _forger = forger;
    }

    /// <summary>One issuer for the whole test run.</summary>
    public static async Task<TestTokenIssuer> SharedAsync()
    {
        await SharedGate.WaitAsync();
        try { return _shared ??= await StartAsync(); }
        finally { SharedGate.Release(); }
    }

    public static async Task<TestTokenIssuer> StartAsync()
    {
        var port = TestEnvironment.FreeTcpPort();
        var issuer = $"http://127.0.0.1:{port}";
        var key = NewKey("test-key");
        var forger = NewKey("test-key"); // the same key id, another key: a forgery
        var builder = WebApplication.CreateSlimBuilder();
        // Not the test folder's appsettings.json (a referenced host's, with its Kestrel endpoints): only this port.
        builder.Configuration.Sources.Clear();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        var provider = new TestTokenIssuer(app, issuer, key, forger);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["jwks_uri"] = $"{issuer}/jwks",
            ["token_endpoint"] = $"{issuer}/connect/token",
            ["grant_types_supported"] = new[] { "client_credentials" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
        });
        app.MapPost("/connect/token", (Delegate)provider.ClientCredentialsAsync);
        await app.StartAsync();
        return provider;
    }

    /// <summary>Registers a machine client (a host's <c>Auth:ClientId</c>/<c>Auth:ClientSecret</c>) with the scopes its tokens carry.</summary>
    public void AddClient(string clientId, string secret, params string[] scopes)
    {
        lock (_clients) _clients[clientId] = (secret, scopes);
    }

    /// <summary>The <c>Auth__*</c> settings of a host that trusts this issuer (and, given a client, calls others with its token).</summary>
    public Dictionary<string, string> HostSettings(string? clientId = null, string? secret = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Auth__Authority"] = Issuer,
            ["Auth__RequireHttpsMetadata"] = "false",
        };
        if (clientId is not null)
        {
            settings["Auth__ClientId"] = clientId;
            settings["Auth__ClientSecret"] = secret ?? throw new ArgumentNullException(nameof(secret));
        }
        return settings;
    }

    /// <summary>A person's token: name, roles, sectors; subject by default "sub-" + name.</summary>
    public string Person(string name, string[] roles, string[]? sectors = null, string? subject = null) =>
        Token(new Dictionary<string, object>
        {
            ["sub"] = subject ?? "sub-" + name,
            ["name"] = name,
            ["preferred_username"] = name,
            ["role"] = roles,
            ["sector"] = sectors ?? [],
        });

    /// <summary>A machine client's token with its scopes (space-separated <c>scope</c>, as OpenIddict and Keycloak write it).</summary>
    public string Machine(string clientId, params string[] scopes) =>
        Token(new Dictionary<string, object> { ["sub"] = clientId, ["client_id"] = clientId, ["scope"] = string.Join(' ', scopes) });

    /// <param name="expiresIn">Negative for an expired token.</param>
    /// <param name="forged">Signed by another key under the same key id.</param>
    public string Token(IDictionary<string, object> claims, TimeSpan? expiresIn = null, bool forged = false, string? audience = Audience, string? issuer = null)
    {
        var lifetime = expiresIn ?? TimeSpan.FromMinutes(10);
        var now = DateTime.UtcNow;
        var expires = now + lifetime;
        var notBefore = lifetime < TimeSpan.Zero ? expires - TimeSpan.FromMinutes(10) : now.AddSeconds(-5);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Claims = claims.Where(c => c.Value is not string[] { Length: 0 }).ToDictionary(c => c.Key, c => c.Value),
            SigningCredentials = new SigningCredentials(forged ? _forger : _key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private async Task<IResult> ClientCredentialsAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        string? id = form["client_id"], secret = form["client_secret"];
        // Duende.IdentityModel sends the credentials as HTTP Basic by default (form-url-encoded, then base64).
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            (id, secret) = (Uri.UnescapeDataString(pair[0].Replace('+', ' ')), Uri.UnescapeDataString(pair[1].Replace('+', ' ')));
        }
        if (form["grant_type"] != "client_credentials") return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        (string Secret, string[] Scopes) client;
        lock (_clients)
            if (id is null || !_clients.TryGetValue(id, out client) || client.Secret != secret)
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        Interlocked.Increment(ref _tokenRequests);
        var lifetime = TimeSpan.FromMinutes(10);
        return Results.Json(new { access_token = Machine(id, client.Scopes), token_type = "Bearer", expires_in = (int)lifetime.TotalSeconds },
            new JsonSerializerOptions());
    }

    private static RsaSecurityKey NewKey(string id) => new(RSA.Create(2048)) { KeyId = id };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
