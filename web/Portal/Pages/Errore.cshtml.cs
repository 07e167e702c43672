using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PerfPlatform.Portal.Services;

namespace PerfPlatform.Portal.Pages;

/// <summary>
/// What the reader sees when a page fails: a service down (503) says so; a service that wants a signed-in reader (401)
/// or refuses this one (403) invites to sign in, or says the role does not allow it; anything else is a plain error.
/// </summary>
/// <remarks>
/// The exception handler re-executes the failed request here with its own method, so a failed POST arrives as a POST;
/// its antiforgery token was already checked (or the POST refused) before the page that failed ran. This page changes
/// nothing, hence no token of its own.
/// </remarks>
[IgnoreAntiforgeryToken]
public sealed class ErroreModel(ILogger<ErroreModel> log, PortalAuthSettings auth) : PageModel
{
    public enum Kind { Error, ServiceDown, SignIn, Denied }

    public Kind What { get; private set; }
    public bool ServiceDown => What == Kind.ServiceDown;
    public bool CanSignIn => !auth.Disabled;
    /// <summary>Where the login returns: the page that failed.</summary>
    public string ReturnUrl { get; private set; } = "/";

    public void OnGet() => Describe();
    public void OnPost() => Describe();

    private void Describe()
    {
        var failed = HttpContext.Features.Get<IExceptionHandlerFeature>();
        var error = failed?.Error;
        var signedIn = User.Identity?.IsAuthenticated == true;
        What = error switch
        {
            RpcException { StatusCode: Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded or Grpc.Core.StatusCode.Cancelled } => Kind.ServiceDown,
            // The login provider does not answer (its discovery document cannot be fetched).
            InvalidOperationException { InnerException: IOException } e when e.Message.StartsWith("IDX20803", StringComparison.Ordinal) => Kind.ServiceDown,
            RpcException { StatusCode: Grpc.Core.StatusCode.Unauthenticated } => Kind.SignIn,
            RpcException { StatusCode: Grpc.Core.StatusCode.PermissionDenied } => signedIn ? Kind.Denied : Kind.SignIn,
            // The session's access-denied redirect (a POST handler's Forbid): /Errore?ReturnUrl=...
            null when Request.Query.ContainsKey("ReturnUrl") => signedIn ? Kind.Denied : Kind.SignIn,
            _ => Kind.Error,
        };
        ReturnUrl = PortalAuth.LocalUrl(failed is not null ? failed.Path + Request.QueryString : Request.Query["ReturnUrl"].ToString());
        if (error is RpcException { StatusCode: Grpc.Core.StatusCode.Unauthenticated or Grpc.Core.StatusCode.PermissionDenied } refused)
            log.LogInformation("Page {Path} refused to {User}: {Detail}", failed!.Path, User.Identity?.Name ?? "anonymous", refused.Status.Detail);
        else if (error is not null) log.LogWarning(error, "Page {Path} failed", failed!.Path);
        Response.StatusCode = What switch
        {
            Kind.ServiceDown => StatusCodes.Status503ServiceUnavailable,
            Kind.SignIn => StatusCodes.Status401Unauthorized,
            Kind.Denied => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status500InternalServerError,
        };
    }
}
