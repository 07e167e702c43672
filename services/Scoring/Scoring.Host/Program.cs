using PerfPlatform.BuildingBlocks.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.BuildingBlocks.Reconciliation;
using PerfPlatform.Scoring;
using PerfPlatform.ServiceDefaults;
using PerfPlatform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.RequireSettings($"ConnectionStrings:{ScoringService.DatabaseName}", $"ConnectionStrings:{MessagingExtensions.RabbitMqConnectionName}",
    ReconciliationExtensions.ObjectivesAddressKey);
// Bearer tokens and rights on every RPC; refuses to start without Auth__Authority (or the explicit Auth__Disabled=true).
builder.AddPlatformAuthentication();
builder.AddServiceDefaults();
builder.AddScoringService();
builder.AddPlatformMessaging(ScoringService.AddConsumers);

var app = builder.Build();
app.MapScoringService();
app.MapDefaultEndpoints();
return await app.RunServiceAsync(args);
