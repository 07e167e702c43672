using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.Objectives;
using PerfPlatform.Reporting;
using PerfPlatform.Scoring;
using PerfPlatform.ServiceDefaults;
using PerfPlatform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
// Reporting reads Objectives and Scoring over gRPC; here both are this very process's gRPC endpoint.
var self = builder.Configuration["Kestrel:Endpoints:Grpc:Url"]?.Replace("0.0.0.0", "127.0.0.1").Replace("//+", "//127.0.0.1").Replace("//*", "//127.0.0.1");
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Services:Objectives"] = builder.Configuration["Services:Objectives"] ?? self,
    ["Services:Scoring"] = builder.Configuration["Services:Scoring"] ?? self,
});
// Bearer tokens and rights on every RPC of the three services; refuses to start without Auth__Authority (or the explicit
// Auth__Disabled=true). Reporting's calls to this very process carry the host's client-credentials token
// (Auth__ClientId, Auth__ClientSecret, e.g. the client "embedded").
builder.AddPlatformAuthentication();
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
