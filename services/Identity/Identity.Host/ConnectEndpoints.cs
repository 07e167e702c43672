using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PerfPlatform.Identity;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to the application: authorize (the signed-in user, or the
/// login page), token (client credentials; code and refresh with the user's current roles), userinfo and end-session.
/// Discovery (/.well-known/openid-configuration) and the keys (/.well-known/jwks) OpenIddict answers itself.
/// </summary>
public static class ConnectEndpoints
{
    public const string Authorize = "connect/authorize";
    public const string Token = "connect/token";
    public const string UserInfo = "connect/userinfo";
    public const string EndSession = "connect/logout";

    private const string ServerScheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapConnectEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/" + Authorize, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).DisableAntiforgery();
        app.MapPost("/" + Token, TokenAsync).DisableAntiforgery();
        app.MapMethods("/" + UserInfo, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).DisableAntiforgery();
        app.MapMethods("/" + EndSession, [HttpMethods.Get, HttpMethods.Post], EndSessionAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal) : null;
        if (user is null || !await signIn.CanSignInAsync(user) || request.HasPromptValue(PromptValues.Login) && !IsFreshLogin(session))
        {
            if (request.HasPromptValue(PromptValues.None))
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            // To the login page and back here with the same parameters (prompt=login dropped, or it would loop).
            var parameters = context.Request.HasFormContentType ? context.Request.Form.ToList() : context.Request.Query.ToList();
            parameters.RemoveAll(p => p.Key == Parameters.Prompt);
            var culture = request.GetParameter(Parameters.UiLocales)?.ToString()?.Split(' ').FirstOrDefault();
            return Results.Challenge(new AuthenticationProperties
            {
                RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters),
                Items = { ["culture"] = culture },
            }, [IdentityConstants.ApplicationScheme]);
        }

        var identity = await UserIdentityAsync(users, user);
        identity.SetScopes(request.GetScopes());
        identity.SetResources(Catalogue.Audience);
        identity.SetDestinations(DestinationsOf);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: ServerScheme);
    }

    private static bool IsFreshLogin(AuthenticateResult session) =>
        session.Properties?.IssuedUtc is { } issued && DateTimeOffset.UtcNow - issued < TimeSpan.FromMinutes(1);

    private static async Task<IResult> TokenAsync(HttpContext context, UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn,
        IOpenIddictApplicationManager applications)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!)
                              ?? throw new InvalidOperationException("the client was authenticated by OpenIddict but is gone");
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            // No scope asked for: every scope the client may have (OpenIddict has checked the ones asked for).
            var scopes = request.GetScopes();
            if (scopes.IsEmpty)
                scopes = (await applications.GetPermissionsAsync(application))
                    .Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
                    .Select(p => p[Permissions.Prefixes.Scope.Length..]).ToImmutableArray();
            identity.SetScopes(scopes);
            identity.SetResources(Catalogue.Audience);
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: ServerScheme);
        }
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var previous = (await context.AuthenticateAsync(ServerScheme)).Principal;
            var user = previous?.GetClaim(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
            if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
                return Forbid(Errors.InvalidGrant, "The token is no longer valid.");
            // The user's roles and sectors as they are now, not as they were at login.
            var identity = await UserIdentityAsync(users, user);
            identity.SetScopes(previous!.GetScopes());
            identity.SetResources(Catalogue.Audience);
            identity.SetDestinations(DestinationsOf);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: ServerScheme);
        }
        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context, UserManager<IdentityUser> users)
    {
        var principal = (await context.AuthenticateAsync(ServerScheme)).Principal;
        var user = principal?.GetClaim(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
        if (principal is null || user is null)
            return Results.Challenge(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The access token does not name a known user.",
            }), [ServerScheme]);
        var identity = await UserIdentityAsync(users, user);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = user.Id };
        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = identity.GetClaim(Claims.Name) ?? user.UserName!;
            claims[Claims.PreferredUsername] = user.UserName!;
        }
        if (principal.HasScope(Scopes.Roles))
        {
            claims[Catalogue.RoleClaim] = identity.GetClaims(Claims.Role).ToArray();
            claims[Catalogue.SectorClaim] = identity.GetClaims(Catalogue.SectorClaim).ToArray();
        }
        return Results.Ok(claims);
    }

    private static async Task<IResult> EndSessionAsync(SignInManager<IdentityUser> signIn)
    {
        // Ends the provider's session, then OpenIddict redirects to the client's post_logout_redirect_uri (checked
        // against the registered ones), or to the site's root without one.
        await signIn.SignOutAsync();
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [ServerScheme]);
    }

    /// <summary>The claims of the contract: sub, name, preferred_username, role (multi-valued), sector (multi-valued).</summary>
    private static async Task<ClaimsIdentity> UserIdentityAsync(UserManager<IdentityUser> users, IdentityUser user)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        var stored = await users.GetClaimsAsync(user);
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Name, stored.FirstOrDefault(c => c.Type == Claims.Name)?.Value ?? user.UserName)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaims(Claims.Role, (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToImmutableArray())
            .SetClaims(Catalogue.SectorClaim, stored.Where(c => c.Type == Catalogue.SectorClaim).Select(c => c.Value).ToImmutableArray());
        return identity;
    }

    /// <summary>Every claim goes into the access token (the services read it there); the id token gets them by scope.</summary>
    private static IEnumerable<string> DestinationsOf(Claim claim)
    {
        yield return OpenIddictConstants.Destinations.AccessToken;
        var principal = claim.Subject!;
        switch (claim.Type)
        {
            case Claims.Name or Claims.PreferredUsername when principal.HasScope(Scopes.Profile):
            case Claims.Role or Catalogue.SectorClaim when principal.HasScope(Scopes.Roles):
                yield return OpenIddictConstants.Destinations.IdentityToken;
                break;
        }
    }

    private static IResult Forbid(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [ServerScheme]);
}
