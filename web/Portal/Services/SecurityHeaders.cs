namespace PerfPlatform.Portal.Services;

/// <summary>
/// The headers of every answer: a Content-Security-Policy without inline script or style (every script and style is a
/// file under wwwroot; Bootstrap Italia, Chart.js and SignalR need nothing inline: Bootstrap Italia's CSS embeds one
/// font as a data: URL, hence font-src data:, and its bundled video player's injected styles are turned off by
/// js/csp-settings.js), nosniff, no referrer outside the site, no framing. HSTS is UseHsts's (Production, HTTPS or
/// forwarded https only).
/// </summary>
public static class SecurityHeaders
{
    public const string BasePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>
    /// The annex (Reporting's HTML, shown in the Relazione page's frame): its styles are inline in the document, it has no
    /// script, and only the portal's own pages may frame it.
    /// </summary>
    public const string AnnexPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

    /// <summary>The policy of every page: the base one, with the provider's origin in form-action (logout ends there).</summary>
    public static string Policy(string? authorityOrigin) => authorityOrigin is null ? BasePolicy : $"{BasePolicy} {authorityOrigin}";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string? authorityOrigin)
    {
        var policy = Policy(authorityOrigin);
        return app.Use((context, next) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                var headers = response.Headers;
                // A page that sets its own policy (the annex) keeps it.
                if (!headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = policy;
                if (!headers.ContainsKey("X-Frame-Options")) headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
