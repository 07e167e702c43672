using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace PerfPlatform.Portal.Services;

public static class PortalLocalization
{
    /// <summary>Italian first, whatever the browser prefers; English when chosen (?culture=en), remembered in a cookie.</summary>
    public static IApplicationBuilder UsePortalLocalization(this IApplicationBuilder app)
    {
        var cultures = new[] { new CultureInfo("it-IT"), new CultureInfo("en") };
        var localization = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("it-IT"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
        };
        localization.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        app.UseRequestLocalization(localization);
        return app.Use((context, next) =>
        {
            if (context.Request.Query.ContainsKey("culture"))
            {
                var culture = context.Features.Get<IRequestCultureFeature>()!.RequestCulture;
                context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(culture),
                    new CookieOptions { HttpOnly = true, Secure = context.Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
            }
            return next(context);
        });
    }
}
