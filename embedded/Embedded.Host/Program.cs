using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.Objectives;
using PerfPlatform.Scoring;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddObjectivesService();
builder.AddScoringService();
builder.AddPlatformMessaging(ObjectivesService.AddConsumers, ScoringService.AddConsumers);

var app = builder.Build();
app.MapObjectivesService();
app.MapScoringService();
app.MapDefaultEndpoints();
app.Run();

/// <summary>Lets tests start this host in memory.</summary>
public partial class Program;
