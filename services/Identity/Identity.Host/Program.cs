using PerfPlatform.BuildingBlocks.Hosting;
using PerfPlatform.Identity;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.RequireSettings(IdentityProvider.IssuerSetting);
builder.AddServiceDefaults();
builder.AddIdentityProvider();

var app = builder.Build();
app.UseIdentityProvider();
app.MapDefaultEndpoints();
app.Run();
