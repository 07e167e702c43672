using PerfPlatform.BuildingBlocks.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.Objectives;
using PerfPlatform.ServiceDefaults;
using PerfPlatform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.RequireSettings($"ConnectionStrings:{ObjectivesService.DatabaseName}", $"ConnectionStrings:{MessagingExtensions.RabbitMqConnectionName}");
// Bearer tokens and rights on every RPC; refuses to start without Auth__Authority (or the explicit Auth__Disabled=true).
builder.AddPlatformAuthentication();
builder.AddServiceDefaults();
builder.AddObjectivesService();
builder.AddPlatformMessaging(ObjectivesService.AddConsumers);

var app = builder.Build();
app.MapObjectivesService();
app.MapDefaultEndpoints();
return await app.RunServiceAsync(args);
