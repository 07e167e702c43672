using PerfPlatform.BuildingBlocks.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.Objectives;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.RequireSettings($"ConnectionStrings:{ObjectivesService.DatabaseName}", $"ConnectionStrings:{MessagingExtensions.RabbitMqConnectionName}");
builder.AddServiceDefaults();
builder.AddObjectivesService();
builder.AddPlatformMessaging(ObjectivesService.AddConsumers);

var app = builder.Build();
app.MapObjectivesService();
app.MapDefaultEndpoints();
return await app.RunServiceAsync(args);
