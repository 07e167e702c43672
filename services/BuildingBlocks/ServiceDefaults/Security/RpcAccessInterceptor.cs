using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace PerfPlatform.ServiceDefaults.Security;

/// <summary>Every registered access table of the process, merged (the embedded host runs three services).</summary>
public sealed class RpcAccessRules
{
    private readonly Dictionary<string, RpcAccess> _rules = new(StringComparer.Ordinal);

    public RpcAccessRules(IEnumerable<RpcAccessTable> tables)
    {
        foreach (var (method, rule) in tables.SelectMany(t => t))
            if (!_rules.TryAdd(method, rule))
                throw new InvalidOperationException($"two access tables have a rule for {method}");
    }

    public RpcAccess? Find(string method) => _rules.GetValueOrDefault(method);
}

/// <summary>
/// The guard of every RPC the process serves (registered globally by <see cref="PlatformAuthentication.AddPlatformAuthentication{TBuilder}"/>):
/// validates the bearer token (issuer, audience, lifetime, signature: the JwtBearer scheme), finds the caller's rights, and
/// checks the method's rule in the access tables. No rule for a method: PERMISSION_DENIED (deny by default). A token that
/// is sent and does not validate: UNAUTHENTICATED, on every method, health included. No token where one is needed:
/// UNAUTHENTICATED; a right missing: PERMISSION_DENIED naming it. With <c>Auth:Disabled=true</c> the caller is the system caller.
/// </summary>
public sealed class RpcAccessInterceptor(RpcAccessRules rules, AuthSettings settings, ILogger<RpcAccessInterceptor> log) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(request, context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(request, context);
        await continuation(request, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(null, context);
        return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(null, context);
        await continuation(requestStream, responseStream, context);
    }

    private async Task AuthorizeAsync(object? request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var caller = await AuthenticateAsync(http, context.Method);
        http.SetCaller(caller);
        var rule = rules.Find(context.Method);
        if (rule is null)
        {
            log.LogWarning("Refused {Method}: no access rule for it (deny by default)", context.Method);
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"no access rule for {context.Method}"));
        }
        if (await rule.CheckAsync(caller, request, http.RequestServices, context.CancellationToken) is { } refusal)
        {
            log.LogInformation("Refused {Method} to {Caller}: {Status} {Detail}", context.Method, caller.Describe(), refusal.StatusCode, refusal.Status.Detail);
            throw refusal;
        }
    }

    private async Task<Caller> AuthenticateAsync(HttpContext http, string method)
    {
        if (settings.Disabled) return Caller.System;
        var sent = http.Request.Headers.Authorization.Count > 0;
        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (result.Succeeded)
        {
            http.User = result.Principal;
            return Caller.From(result.Principal, settings);
        }
        if (!sent) return Caller.Anonymous;
        var (code, reason) = Reason(result.Failure);
        log.LogInformation("Refused {Method}: {Reason}", method, reason);
        throw new RpcException(new Status(code, $"the bearer token was refused: {reason}"));
    }

    private (StatusCode, string) Reason(Exception? failure) => failure switch
    {
        null => (StatusCode.Unauthenticated, "the authorization header does not carry a bearer token"),
        SecurityTokenExpiredException => (StatusCode.Unauthenticated, "it has expired"),
        SecurityTokenNotYetValidException => (StatusCode.Unauthenticated, "it is not valid yet"),
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            (StatusCode.Unauthenticated, "its signature does not match the identity provider's keys"),
        SecurityTokenInvalidAudienceException => (StatusCode.Unauthenticated, $"its audience is not '{settings.Audience}'"),
        SecurityTokenInvalidIssuerException => (StatusCode.Unauthenticated, $"its issuer is not '{settings.Authority}'"),
        SecurityTokenException => (StatusCode.Unauthenticated, "it is not a valid token"),
        ArgumentException => (StatusCode.Unauthenticated, "it is not a well-formed token"),
        // The provider's discovery document or keys could not be fetched: not the caller's fault.
        InvalidOperationException e when e.Message.Contains("IDX20803", StringComparison.Ordinal) =>
            (StatusCode.Unavailable, "the identity provider's keys cannot be fetched; try again"),
        _ => (StatusCode.Unauthenticated, "it is not a valid token"),
    };
}
