using PerfPlatform.Portal.Live;
using PerfPlatform.Portal.Services;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
builder.Services.AddRazorPages().AddViewLocalization();
builder.Services.AddSignalR();
builder.Services.AddSingleton<PerfPlatform.Portal.Explanations.DiscrepancyText>();
builder.Services.AddSingleton<RecalculationRelay>();
builder.Services.AddServiceClients(builder.Configuration);

var app = builder.Build();
// A service that is down (or any other failure) gives the friendly page, not an unhandled error.
app.UseExceptionHandler("/Errore");
app.UsePortalLocalization();
app.UseStaticFiles();
app.MapRazorPages();
app.MapHub<RecalculationHub>(RecalculationHub.Path);
app.MapDefaultEndpoints();
app.Run();
