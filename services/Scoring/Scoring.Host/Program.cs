using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.Scoring;
using PerfPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddScoringService();
builder.AddPlatformMessaging(ScoringService.AddConsumers);

var app = builder.Build();
app.MapScoringService();
app.MapDefaultEndpoints();
app.Run();
