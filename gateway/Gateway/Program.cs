using PerfPlatform.Gateway;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
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
