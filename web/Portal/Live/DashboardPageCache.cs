using System.Collections.Concurrent;
using System.Globalization;

namespace PerfPlatform.Portal.Live;

/// <summary>
/// The dashboard's HTML (the page and its live figures partial) as last rendered for anonymous readers, served again
/// while the copies it was made of are current (<see cref="DashboardCache.StillCurrent"/>: the year's stream connected
/// since, no recalculation since, at most <see cref="DashboardCache.MaxAge"/> old). Only what cannot differ between two
/// anonymous readers is kept: a GET of the dashboard with no query but anno, periodo and handler, keyed on path, query
/// and culture; an answer that sets a cookie, is not 200, or was not stamped by the page (<see cref="Stamp"/>: made of
/// current copies only) is not kept. A signed-in reader's page (their name, roles, the logout form's antiforgery token)
/// is never kept. The headers of every answer (CSP and the rest) are still written by their middleware.
/// </summary>
public static class DashboardPageCache
{
    /// <summary>Set by the page: its answer was made of copies of <paramref name="Year"/> current under <paramref name="Generation"/>.</summary>
    public sealed record Stamp(int Year, long Generation, long ReadAt);

    private sealed record Page(Stamp Stamp, string ContentType, byte[] Body);

    private const int MaxPages = 1_000;
    private static readonly string[] Keys = ["anno", "periodo", "handler"];

    public static IApplicationBuilder UseDashboardPageCache(this IApplicationBuilder app)
    {
        var pages = new ConcurrentDictionary<string, Page>();
        var cache = app.ApplicationServices.GetRequiredService<DashboardCache>();
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!HttpMethods.IsGet(request.Method) || request.Path.Value is not ("/" or "/Index")
                || context.User.Identity?.IsAuthenticated == true || request.Query.Keys.Any(k => !Keys.Contains(k, StringComparer.OrdinalIgnoreCase)))
            {
                await next(context);
                return;
            }
            var key = $"{request.Path}{request.QueryString}|{CultureInfo.CurrentCulture.Name}|{CultureInfo.CurrentUICulture.Name}";
            if (pages.TryGetValue(key, out var page) && cache.StillCurrent(page.Stamp.Year, page.Stamp.Generation, page.Stamp.ReadAt))
            {
                context.Response.ContentType = page.ContentType;
                context.Response.ContentLength = page.Body.Length;
                await context.Response.Body.WriteAsync(page.Body, context.RequestAborted);
                return;
            }

            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }
            var response = context.Response;
            if (response.StatusCode == StatusCodes.Status200OK && response.Headers.SetCookie.Count == 0
                && context.Features.Get<Stamp>() is { } stamp && response.ContentType is { } contentType
                && cache.StillCurrent(stamp.Year, stamp.Generation, stamp.ReadAt))
            {
                if (pages.Count >= MaxPages) pages.Clear();
                pages[key] = new Page(stamp, contentType, buffer.ToArray());
            }
            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted);
        });
    }
}
