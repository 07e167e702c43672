using System.Globalization;
using Microsoft.AspNetCore.Localization;
using PerfPlatform.ServiceDefaults;
using ScoringV1 = PerfPlatform.Scoring.V1;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
builder.Services.AddRazorPages().AddViewLocalization();
builder.Services.AddGrpcClient<ScoringV1.Scoring.ScoringClient>(o =>
    o.Address = new Uri(builder.Configuration["Services:Scoring"] ?? throw new InvalidOperationException("Services:Scoring is not set")));

var app = builder.Build();
// Italian first; English on request (?culture=en, or the browser's preference).
var cultures = new[] { new CultureInfo("it-IT"), new CultureInfo("en") };
app.UseRequestLocalization(new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture("it-IT"),
    SupportedCultures = cultures,
    SupportedUICultures = cultures,
});
app.UseStaticFiles();
app.MapRazorPages();
app.MapDefaultEndpoints();
app.Run();
