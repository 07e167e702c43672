using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.Objectives;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddObjectivesService();
builder.AddPlatformMessaging(ObjectivesService.AddConsumers);

var app = builder.Build();
app.MapObjectivesService();
app.MapDefaultEndpoints();
app.Run();
