using PerfPlatform.BuildingBlocks.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.Reporting;
using PerfPlatform.ServiceDefaults;
using PerfPlatform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.RequireSettings($"ConnectionStrings:{ReportingService.DatabaseName}", $"ConnectionStrings:{MessagingExtensions.RabbitMqConnectionName}",
    "Services:Objectives", "Services:Scoring");
// Bearer tokens and rights on every RPC; refuses to start without Auth__Authority (or the explicit Auth__Disabled=true).
builder.AddPlatformAuthentication();
builder.AddServiceDefaults();
builder.AddReportingService();
builder.AddPlatformMessaging(ReportingService.AddConsumers);

var app = builder.Build();
app.MapReportingService();
app.MapDefaultEndpoints();
return await app.RunServiceAsync(args);
