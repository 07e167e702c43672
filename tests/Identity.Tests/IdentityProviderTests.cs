using System.Net;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PerfPlatform.TestSupport;
using Xunit;

namespace PerfPlatform.Identity.Tests;

/// <summary>
/// Identity.Host behind the gateway, as scripts/run.sh runs them: its issuer is the gateway's browser URL, the
/// gateway's browser listener routes /connect, /.well-known and /account to it.
/// </summary>
public sealed class IdentityPlatform : IAsyncLifetime
{
    public IdentityProvider Provider { get; private set; } = null!;
    public HostProcess Gateway { get; private set; } = null!;
    public Uri GatewayHttp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        GatewayHttp = new Uri($"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}/");
        Provider = await IdentityProvider.StartAsync(issuer: GatewayHttp.ToString());
        // The services are not needed here: the gateway only names them.
        Gateway = await HostProcess.StartAsync("gateway/Gateway", new Dictionary<string, string>
        {
            ["Services__Objectives"] = "http://127.0.0.1:9",
            ["Services__Scoring"] = "http://127.0.0.1:9",
            ["Services__Reporting"] = "http://127.0.0.1:9",
            ["Services__Portal"] = "http://127.0.0.1:9",
            ["Services__Identity"] = Provider.Address.ToString(),
            ["Kestrel__Endpoints__Http__Url"] = GatewayHttp.ToString(),
            // The gateway's own reflection needs a valid token of this provider (as scripts/run.sh wires it).
            ["Auth__Authority"] = GatewayHttp.ToString(),
            ["Auth__MetadataAddress"] = new Uri(Provider.Address, ".well-known/openid-configuration").ToString(),
            ["Auth__RequireHttpsMetadata"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public sealed class IdentityProviderTests(IdentityPlatform platform) : IClassFixture<IdentityPlatform>
{
    private IdentityProvider Provider => platform.Provider;

    [Fact]
    public async Task The_gateways_reflection_answers_a_valid_token_only()
    {
        var reflection = new ServerReflection.ServerReflectionClient(platform.Gateway.Channel);
        async Task<IReadOnlyList<string>> ListAsync(Metadata? headers)
        {
            using var call = reflection.ServerReflectionInfo(headers);
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            return call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        }

        var anonymous = await Assert.ThrowsAsync<RpcException>(() => ListAsync(null));
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        var forged = await Assert.ThrowsAsync<RpcException>(() => ListAsync(new Metadata { { "authorization", "Bearer not.a.token" } }));
        Assert.Equal(StatusCode.Unauthenticated, forged.StatusCode);

        var token = await Provider.GetClientTokenAsync("city-system-sample", IdentityProvider.ClientSecret("city-system-sample"), "perf.read");
        var services = await ListAsync(new Metadata { { "authorization", $"Bearer {token}" } });
        Assert.Contains("perf.objectives.v1.Objectives", services);
        Assert.Contains("perf.scoring.v1.Scoring", services);
    }

    [Fact]
    public async Task A_client_credentials_token_is_a_signed_JWT_for_perf_platform_with_its_scopes_and_client_id()
    {
        var token = await Provider.GetClientTokenAsync("city-system-sample", IdentityProvider.ClientSecret("city-system-sample"), "perf.read", "perf.write");

        var jwt = await ValidateAsync(token);
        Assert.Equal(platform.GatewayHttp.ToString(), jwt.Issuer);
        Assert.Equal(["perf-platform"], jwt.Audiences);
        Assert.Equal("perf.read perf.write", jwt.GetClaim("scope").Value);
        Assert.Equal("city-system-sample", jwt.GetClaim("client_id").Value);
        Assert.Equal("city-system-sample", jwt.Subject);
        Assert.Equal("RS256", jwt.Alg);
        Assert.InRange(jwt.ValidTo - jwt.IssuedAt, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        // Not encrypted: three parts, readable by every service.
        Assert.Equal(3, token.Split('.').Length);
    }

    [Fact]
    public async Task A_machine_client_gets_only_its_own_scopes()
    {
        var all = await ValidateAsync(await Provider.GetClientTokenAsync("reporting", IdentityProvider.ClientSecret("reporting")));
        Assert.Equal(["perf.admin", "perf.read"], all.GetClaim("scope").Value.Split(' ').Order());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Provider.GetClientTokenAsync("reporting", IdentityProvider.ClientSecret("reporting"), "perf.import"));
        Assert.Contains("not allowed to use the specified scope", refused.Message);
        var badSecret = await Assert.ThrowsAsync<InvalidOperationException>(() => Provider.GetClientTokenAsync("reporting", "wrong", "perf.read"));
        Assert.Contains("invalid_client", badSecret.Message);
    }

    [Fact]
    public async Task A_user_logs_in_through_the_code_flow_and_the_token_carries_role_sector_and_name()
    {
        var jwt = await ValidateAsync(await Provider.LoginAsync("dirigente", IdentityProvider.DemoPassword));

        Assert.Equal(["sector-manager"], jwt.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(["Settore 08"], jwt.Claims.Where(c => c.Type == "sector").Select(c => c.Value));
        Assert.Equal("dirigente", jwt.GetClaim("preferred_username").Value);
        Assert.False(string.IsNullOrWhiteSpace(jwt.GetClaim("name").Value));
        Assert.Equal("portal", jwt.GetClaim("client_id").Value);
        Assert.Equal(["perf-platform"], jwt.Audiences);

        var admin = await ValidateAsync(await Provider.LoginAsync("admin", IdentityProvider.DemoPassword));
        Assert.Equal(["admin"], admin.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.DoesNotContain(admin.Claims, c => c.Type == "sector");
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_are_refused_with_the_same_message()
    {
        var wrong = await Assert.ThrowsAsync<LoginRefusedException>(() => Provider.LoginAsync("lettore", "Not-The-Password-1"));
        var unknown = await Assert.ThrowsAsync<LoginRefusedException>(() => Provider.LoginAsync("nessuno", "Not-The-Password-1"));
        Assert.Equal(wrong.Message, unknown.Message);
        Assert.Contains("non validi", wrong.Message);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_message_stays_the_same()
    {
        var messages = new HashSet<string>();
        for (var i = 0; i < 5; i++)
            messages.Add((await Assert.ThrowsAsync<LoginRefusedException>(() => Provider.LoginAsync("lettore", $"Wrong-Password-{i}!"))).Message);
        // Locked: the right password is refused too, with the same words.
        messages.Add((await Assert.ThrowsAsync<LoginRefusedException>(() => Provider.LoginAsync("lettore", IdentityProvider.DemoPassword))).Message);
        Assert.Single(messages);
    }

    [Fact]
    public async Task The_signing_key_survives_a_restart()
    {
        var token = await Provider.GetClientTokenAsync("scoring", IdentityProvider.ClientSecret("scoring"));
        var kid = new JsonWebToken(token).Kid;

        await Provider.RestartAsync();

        // The token from before the restart validates against the keys published after it.
        var jwt = await ValidateAsync(token);
        Assert.Equal(kid, jwt.Kid);
        Assert.Equal(kid, new JsonWebToken(await Provider.GetClientTokenAsync("scoring", IdentityProvider.ClientSecret("scoring"))).Kid);
        // And the demo users are still there, with their passwords.
        await Provider.LoginAsync("oiv", IdentityProvider.DemoPassword);
    }

    [Fact]
    public async Task Discovery_through_the_gateway_names_the_gateway_as_issuer_and_the_login_page_is_served_there()
    {
        using var http = new HttpClient { BaseAddress = platform.GatewayHttp };
        using var discovery = JsonDocument.Parse(await http.GetStringAsync(".well-known/openid-configuration"));
        var root = discovery.RootElement;
        Assert.Equal(platform.GatewayHttp.ToString(), root.GetProperty("issuer").GetString());
        foreach (var endpoint in new[] { "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "end_session_endpoint", "jwks_uri" })
            Assert.StartsWith(platform.GatewayHttp.ToString(), root.GetProperty(endpoint).GetString());
        Assert.Equal(["S256"], root.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));

        // Asked directly (a service inside the network, Auth:MetadataAddress): the same issuer and front-channel
        // endpoints, the back-channel ones (keys, token, userinfo) at the address it asked.
        using var direct = new HttpClient { BaseAddress = Provider.Address };
        using var internalDiscovery = JsonDocument.Parse(await direct.GetStringAsync(".well-known/openid-configuration"));
        var inside = internalDiscovery.RootElement;
        Assert.Equal(platform.GatewayHttp.ToString(), inside.GetProperty("issuer").GetString());
        Assert.StartsWith(platform.GatewayHttp.ToString(), inside.GetProperty("authorization_endpoint").GetString());
        Assert.StartsWith(platform.GatewayHttp.ToString(), inside.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(new Uri(Provider.Address, ".well-known/jwks").ToString(), inside.GetProperty("jwks_uri").GetString());
        Assert.Equal(new Uri(Provider.Address, "connect/token").ToString(), inside.GetProperty("token_endpoint").GetString());

        var keys = await http.GetStringAsync(".well-known/jwks");
        Assert.Contains("\"RSA\"", keys);

        // The login page and its stylesheet, through the gateway, with the security headers; Italian first, English on request.
        using var login = await http.GetAsync("account/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var page = await login.Content.ReadAsStringAsync();
        Assert.Contains("lang=\"it\"", page);
        Assert.Contains("<label for=\"username\">Nome utente</label>", page);
        Assert.Contains("__RequestVerificationToken", page);
        Assert.DoesNotContain("<script", page);
        Assert.Contains("script-src 'self'", login.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", login.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("lang=\"en\"", await http.GetStringAsync("account/login?culture=en"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("account/assets/identity.css")).StatusCode);

        // The authorize endpoint through the gateway sends the browser to the gateway's login page.
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = platform.GatewayHttp };
        using var authorize = await noRedirects.GetAsync(
            $"connect/authorize?client_id=portal&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(Provider.RedirectUri)}" +
            "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");
        Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        Assert.StartsWith(new Uri(platform.GatewayHttp, "account/login").ToString(), authorize.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_gateways_grpc_listener_does_not_serve_the_identity_provider()
    {
        using var http = new HttpClient(new SocketsHttpHandler())
        {
            BaseAddress = new Uri($"http://127.0.0.1:{platform.Gateway.GrpcPort}/"),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(".well-known/openid-configuration")).StatusCode);
    }

    private async Task<JsonWebToken> ValidateAsync(string token)
    {
        using var http = new HttpClient();
        var keys = new JsonWebKeySet(await http.GetStringAsync(new Uri(Provider.Address, ".well-known/jwks")));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Provider.Issuer,
            ValidAudience = "perf-platform",
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidateLifetime = true,
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        return (JsonWebToken)result.SecurityToken;
    }
}
