using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace PerfPlatform.Identity;

/// <summary>
/// Back-channel endpoints on the caller's own address, as Keycloak's "backchannel dynamic": OpenIddict lists the
/// endpoints at the address the discovery document was asked at, while the issuer stays Auth:Issuer (the gateway's
/// browser URL). A service that fetches discovery inside the network (Auth:MetadataAddress, e.g.
/// http://identity:5300/.well-known/openid-configuration) so gets the keys, token and userinfo endpoints at an address
/// it can reach; this handler puts the front-channel endpoints (authorize, end session), where the portal sends the
/// browser, back at the issuer's address.
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
                // OpenIddict writes every endpoint at the caller's address: the browser's ones go back to the issuer's.
                context.AuthorizationEndpoint = Rebase(context.AuthorizationEndpoint, caller, context.Issuer);
                context.EndSessionEndpoint = Rebase(context.EndSessionEndpoint, caller, context.Issuer);
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom));

    private static Uri? Rebase(Uri? endpoint, Uri from, Uri to) =>
        endpoint is null || !from.IsBaseOf(endpoint) ? endpoint : new Uri(to, from.MakeRelativeUri(endpoint));
}
