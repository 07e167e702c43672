using PerfPlatform.Portal.Live;
using PerfPlatform.Portal.Persistence;
using PerfPlatform.Portal.Services;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
// Cookies and antiforgery tokens readable by every replica and across restarts (Persistence/PortalKeyRing.cs).
builder.AddPortalKeyRing();
builder.AddPortalAuth();
builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
builder.Services.AddRazorPages().AddViewLocalization();
builder.Services.AddSignalR();
builder.Services.AddSingleton<PerfPlatform.Portal.Explanations.DiscrepancyText>();
builder.Services.AddSingleton<RecalculationRelay>();
builder.Services.AddSingleton<DashboardCache>();
builder.Services.AddServiceClients(builder.Configuration);

var app = builder.Build();
var auth = app.Services.GetRequiredService<PortalAuthSettings>();
if (auth.Disabled)
    app.Logger.LogWarning("Auth:Disabled=true: no login, every reader may do everything. Only for tests and benches that are not about access control");
// Behind the gateway: the browser's scheme and host, before anything builds a URL or a cookie from them.
app.UseForwardedHeaders();
app.UseSecurityHeaders(auth.AuthorityOrigin);
// A service that is down, or that refuses (not signed in, not allowed), gives the friendly page, not an unhandled error.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/Errore",
    // A refusal is the service answering as it should (an anonymous reader, an unpublished year): the page says so and
    // logs it at Information, not as an unhandled error with its stack trace at every first visit.
    SuppressDiagnosticsCallback = c => c.Exception is Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Unauthenticated or Grpc.Core.StatusCode.PermissionDenied },
});
if (!app.Environment.IsDevelopment()) app.UseHsts(); // only on HTTPS (or forwarded https) requests
app.UsePortalLocalization();
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
// The dashboard's HTML for anonymous readers, while the figures it shows are current (Live/DashboardPageCache.cs).
app.UseDashboardPageCache();
app.MapRazorPages();
app.MapHub<RecalculationHub>(RecalculationHub.Path);
app.MapPortalAuth();
app.MapDefaultEndpoints();
app.Run();
