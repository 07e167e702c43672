using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace PerfPlatform.Identity;

/// <summary>
/// Back-channel endpoints on the caller's own address, as Keycloak's "backchannel dynamic": the issuer stays the
/// browsers' URL (the gateway's), and so do the front-channel endpoints (authorize, end session) the browser is sent
/// to; but a service that fetches the discovery document inside the network (Auth:MetadataAddress, e.g.
/// http://identity:5300/.well-known/openid-configuration) gets the keys, token and userinfo endpoints at that same
/// address, which it can reach, where the gateway's localhost URL would name the service's own container.
/// </summary>
public static class BackChannel
{
    public static OpenIddictServerBuilder UseDynamicBackChannel(this OpenIddictServerBuilder server) =>
        server.AddEventHandler<HandleConfigurationRequestContext>(handler => handler
            .UseInlineHandler(context =>
            {
                var request = context.Transaction.GetHttpRequest();
                if (request is null || context.Issuer is null) return default;
                var caller = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");
                if (Uri.Compare(caller, context.Issuer, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
                    return default;
                context.JsonWebKeySetEndpoint = Rebase(context.JsonWebKeySetEndpoint, context.Issuer, caller);
                context.TokenEndpoint = Rebase(context.TokenEndpoint, context.Issuer, caller);
                context.UserInfoEndpoint = Rebase(context.UserInfoEndpoint, context.Issuer, caller);
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom));

    private static Uri? Rebase(Uri? endpoint, Uri issuer, Uri caller) =>
        endpoint is null ? null : new Uri(caller, issuer.MakeRelativeUri(endpoint));
}
