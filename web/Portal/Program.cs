using System.Globalization;
using Microsoft.AspNetCore.Localization;
using PerfPlatform.ServiceDefaults;
using ScoringV1 = PerfPlatform.Scoring.V1;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
builder.Services.AddRazorPages().AddViewLocalization();
builder.Services.AddSingleton<PerfPlatform.Portal.Explanations.DiscrepancyText>();
builder.Services.AddGrpcClient<ScoringV1.Scoring.ScoringClient>(o =>
    o.Address = new Uri(builder.Configuration["Services:Scoring"] ?? throw new InvalidOperationException("Services:Scoring is not set")));

var app = builder.Build();
// Italian first, whatever the browser prefers; English when chosen (?culture=en), remembered in a cookie.
var cultures = new[] { new CultureInfo("it-IT"), new CultureInfo("en") };
var localization = new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture("it-IT"),
    SupportedCultures = cultures,
    SupportedUICultures = cultures,
};
localization.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
app.UseRequestLocalization(localization);
app.Use((context, next) =>
{
    if (context.Request.Query.ContainsKey("culture"))
    {
        var culture = context.Features.Get<IRequestCultureFeature>()!.RequestCulture;
        context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(culture),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
    }
    return next(context);
});
app.UseStaticFiles();
app.MapRazorPages();
app.MapDefaultEndpoints();
app.Run();
