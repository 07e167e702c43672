using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.Reporting;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddReportingService();
builder.AddPlatformMessaging(ReportingService.AddConsumers);

var app = builder.Build();
app.MapReportingService();
app.MapDefaultEndpoints();
app.Run();
