using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.Objectives;
using PerfPlatform.Reporting;
using PerfPlatform.Scoring;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
// Reporting reads Objectives and Scoring over gRPC; here both are this very process's gRPC endpoint.
var self = builder.Configuration["Kestrel:Endpoints:Grpc:Url"]?.Replace("0.0.0.0", "127.0.0.1").Replace("//+", "//127.0.0.1").Replace("//*", "//127.0.0.1");
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Services:Objectives"] = builder.Configuration["Services:Objectives"] ?? self,
    ["Services:Scoring"] = builder.Configuration["Services:Scoring"] ?? self,
});
builder.AddServiceDefaults();
builder.AddObjectivesService();
builder.AddScoringService();
builder.AddReportingService();
builder.AddPlatformMessaging(ObjectivesService.AddConsumers, ScoringService.AddConsumers, ReportingService.AddConsumers);

var app = builder.Build();
app.MapObjectivesService();
app.MapScoringService();
app.MapReportingService();
app.MapDefaultEndpoints();
app.Run();

/// <summary>Lets tests start this host in memory.</summary>
public partial class Program;
