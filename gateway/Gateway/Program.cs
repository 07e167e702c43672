using PerfPlatform.Gateway;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddPlatformRoutes(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapReverseProxy();
app.Run();
