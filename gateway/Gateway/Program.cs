using PerfPlatform.Gateway;
using PerfPlatform.ServiceDefaults;
using PerfPlatform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
// The gateway's own gRPC services: health open, reflection (the routed services' contracts) for any valid token.
builder.AddPlatformAuthentication();
builder.Services.AddRoutedServicesReflection();
builder.Services.AddClientRateLimits(builder.Configuration);
builder.Services.AddPlatformRoutes(builder.Configuration);
var maxRequestBytes = RequestLimits.MaxRequestBytes(builder.Configuration);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxRequestBytes);

var app = builder.Build();
app.UseRouting();
app.UseListenerIsolation(app.Configuration);
app.UseRateLimiter();
app.UseRequestSizeLimit(maxRequestBytes);
app.MapDefaultEndpoints();
app.MapReverseProxy();
app.Run();
