using PerfPlatform.BuildingBlocks.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.BuildingBlocks.Reconciliation;
using PerfPlatform.Scoring;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.RequireSettings($"ConnectionStrings:{ScoringService.DatabaseName}", $"ConnectionStrings:{MessagingExtensions.RabbitMqConnectionName}",
    ReconciliationExtensions.ObjectivesAddressKey);
builder.AddServiceDefaults();
builder.AddScoringService();
builder.AddPlatformMessaging(ScoringService.AddConsumers);

var app = builder.Build();
app.MapScoringService();
app.MapDefaultEndpoints();
return await app.RunServiceAsync(args);
