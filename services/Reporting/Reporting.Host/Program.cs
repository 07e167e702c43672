using PerfPlatform.BuildingBlocks.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.Reporting;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.RequireSettings($"ConnectionStrings:{ReportingService.DatabaseName}", $"ConnectionStrings:{MessagingExtensions.RabbitMqConnectionName}",
    "Services:Objectives", "Services:Scoring");
builder.AddServiceDefaults();
builder.AddReportingService();
builder.AddPlatformMessaging(ReportingService.AddConsumers);

var app = builder.Build();
app.MapReportingService();
app.MapDefaultEndpoints();
return await app.RunServiceAsync(args);
