using System.Net.Http.Headers;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PerfPlatform.ServiceDefaults.Security;

/// <summary>
/// The host's own access token for calls to other services (Scoring's reconciler to Objectives, Reporting to Objectives and
/// Scoring, the embedded host to itself): client credentials (<c>Auth:ClientId</c>, <c>Auth:ClientSecret</c>) at the token
/// endpoint the provider's discovery document (<c>Auth:MetadataAddress</c>, else <c>Auth:Authority</c>) names. Kept until
/// shortly before it expires. With <c>Auth:Disabled=true</c> there is no token and calls go without one.
/// </summary>
public sealed class ServiceTokenSource : IDisposable
{
    /// <summary>A token is renewed this long before it expires (or at half its lifetime, if shorter).</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);
    private readonly AuthSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _renewAt;

    public ServiceTokenSource(AuthSettings settings, TimeProvider? clock = null, ILogger<ServiceTokenSource>? log = null, HttpMessageHandler? handler = null)
    {
        _settings = settings;
        _clock = clock ?? TimeProvider.System;
        _log = (ILogger?)log ?? NullLogger.Instance;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Token requests made since start (tests check the cache).</summary>
    public int Requests { get; private set; }

    /// <summary>The current token; null with <c>Auth:Disabled=true</c>.</summary>
    public async ValueTask<string?> GetTokenAsync(CancellationToken ct)
    {
        if (_settings.Disabled) return null;
        if (_token is { } cached && _clock.GetUtcNow() < _renewAt) return cached;
        await _gate.WaitAsync(ct);
        try
        {
            if (_token is { } again && _clock.GetUtcNow() < _renewAt) return again;
            var (token, lifetime) = await RequestAsync(ct);
            var margin = TimeSpan.FromTicks(Math.Min(RenewBefore.Ticks, lifetime.Ticks / 2));
            _token = token;
            _renewAt = _clock.GetUtcNow() + lifetime - margin;
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached token (e.g. after a call was refused as UNAUTHENTICATED): the next call asks for a new one.</summary>
    public void Invalidate() => _renewAt = DateTimeOffset.MinValue;

    private async Task<(string Token, TimeSpan Lifetime)> RequestAsync(CancellationToken ct)
    {
        if (_settings.ClientId is null || _settings.ClientSecret is null)
            throw new AuthSettingsException("Auth__ClientId and Auth__ClientSecret are not set: this host calls other services with a client-credentials token");
        var address = _settings.MetadataAddress ?? _settings.Authority!;
        var discovery = await _http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = address,
            Policy = new DiscoveryPolicy
            {
                RequireHttps = _settings.RequireHttpsMetadata,
                // Fetched inside the network (MetadataAddress), the document names the public issuer and may name internal endpoints.
                ValidateIssuerName = _settings.MetadataAddress is null,
                ValidateEndpoints = false,
            },
        }, ct);
        if (discovery.IsError || discovery.TokenEndpoint is null)
            throw new InvalidOperationException($"the identity provider's discovery document at {address} cannot be read: {discovery.Error}");
        Requests++;
        var response = await _http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = _settings.ClientId,
            ClientSecret = _settings.ClientSecret,
        }, ct);
        if (response.IsError || string.IsNullOrEmpty(response.AccessToken))
            throw new InvalidOperationException($"the identity provider refused a token to client '{_settings.ClientId}': {response.Error} {response.ErrorDescription}");
        var lifetime = TimeSpan.FromSeconds(response.ExpiresIn > 0 ? response.ExpiresIn : 300);
        _log.LogDebug("Service token for {ClientId} obtained, valid {Lifetime}", _settings.ClientId, lifetime);
        return (response.AccessToken, lifetime);
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}

/// <summary>Puts the host's service token on every outgoing request that does not carry an authorization already.</summary>
public sealed class ServiceTokenHandler(ServiceTokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null && await tokens.GetTokenAsync(cancellationToken) is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        // gRPC answers a refused token with HTTP 200 and grpc-status 16 in the headers (trailers-only response).
        if (response.Headers.TryGetValues("grpc-status", out var status) && status.FirstOrDefault() == "16") tokens.Invalidate();
        return response;
    }
}

public static class ServiceTokenExtensions
{
    /// <summary>
    /// The host's <see cref="ServiceTokenSource"/> (once per process). Unless <c>Auth:Disabled=true</c>, <c>Auth:Authority</c>,
    /// <c>Auth:ClientId</c> and <c>Auth:ClientSecret</c> are required: the host does not start without them.
    /// </summary>
    public static IHostApplicationBuilder AddServiceTokens(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(ServiceTokenSource))) return builder;
        var settings = AuthSettings.From(builder.Configuration);
        if (!settings.Disabled)
        {
            var missing = new[] { ("Auth:Authority", settings.Authority), ("Auth:ClientId", settings.ClientId), ("Auth:ClientSecret", settings.ClientSecret) }
                .Where(s => s.Item2 is null).Select(s => s.Item1.Replace(":", "__", StringComparison.Ordinal)).ToList();
            if (missing.Count > 0)
                throw new AuthSettingsException(
                    $"{builder.Environment.ApplicationName} cannot start: {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not set. " +
                    "It calls other services with a client-credentials token of its own client (docs/security.md), or set Auth__Disabled=true (tests and benches only).");
        }
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new ServiceTokenSource(settings, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServiceTokenSource>>()));
        builder.Services.AddTransient<ServiceTokenHandler>();
        return builder;
    }

    /// <summary>A gRPC client (client factory) that sends the host's service token.</summary>
    public static IHttpClientBuilder AddServiceToken(this IHttpClientBuilder client) => client.AddHttpMessageHandler<ServiceTokenHandler>();

    /// <summary>A handler for a channel built by hand (GrpcChannel.ForAddress) that sends the host's service token.</summary>
    public static HttpMessageHandler ServiceTokenHttpHandler(this IServiceProvider services) =>
        new ServiceTokenHandler(services.GetRequiredService<ServiceTokenSource>())
        {
            InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
        };
}
