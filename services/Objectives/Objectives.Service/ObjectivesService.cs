using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.Objectives.Application;
using PerfPlatform.Objectives.Grpc;
using PerfPlatform.Objectives.Infrastructure;
using PerfPlatform.ServiceDefaults;
using PerfPlatform.ServiceDefaults.Security;

namespace PerfPlatform.Objectives;

/// <summary>How a host runs the Objectives service: its database, its application services, its gRPC endpoint.</summary>
public static class ObjectivesService
{
    public const string DatabaseName = "ObjectivesDb";

    public static IHostApplicationBuilder AddObjectivesService(this IHostApplicationBuilder builder)
    {
        // Every RPC checked against ObjectivesAccess (bearer token, rights; Auth:* settings).
        builder.AddRpcAccess(ObjectivesAccess.Table);
        builder.AddServiceDatabase<ObjectivesDbContext, SqliteObjectivesDbContext, PostgresObjectivesDbContext>(DatabaseName, "objectives.db");
        builder.Services.AddScoped<ObjectivesPublishedYears>();
        builder.Services.AddOutboxDispatcher<ObjectivesDbContext>();
        builder.Services.AddSingleton<YearWriter>();
        builder.Services.AddScoped<ActorAccessor>();
        builder.Services.AddScoped<PlanQueries>();
        builder.Services.AddScoped<PlanCommands>();
        builder.Services.AddScoped<PlanImport>();
        builder.Services.AddScoped<YearWorkflowCommands>();
        builder.Services.AddScoped<AuditQueries>();
        builder.Services.AddHostedService<PlanSeeder>();
        // Kestrel's 30 MB body limit would cut an oversized upload before the importer can explain its own 10 MB limit;
        // the gateway applies the same limit (RequestLimits).
        var maxBytes = RequestLimits.MaxRequestBytes(builder.Configuration);
        builder.Services.Configure<KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = maxBytes);
        builder.Services.AddGrpc()
            .AddServiceOptions<ObjectivesGrpcService>(o =>
            {
                o.Interceptors.Add<ActorInterceptor>();
                o.Interceptors.Add<PlanErrorInterceptor>();
                // Large enough that an oversized document reaches the importer and gets its clear refusal.
                o.MaxReceiveMessageSize = maxBytes;
            })
            .AddServiceOptions<WorkflowGrpcService>(o =>
            {
                o.Interceptors.Add<ActorInterceptor>();
                o.Interceptors.Add<PlanErrorInterceptor>();
            })
            .AddServiceOptions<AuditGrpcService>(o => o.Interceptors.Add<PlanErrorInterceptor>());
        return builder;
    }

    /// <summary>Objectives only publishes; it consumes nothing.</summary>
    public static void AddConsumers(IBusRegistrationConfigurator bus) { }

    public static WebApplication MapObjectivesService(this WebApplication app)
    {
        app.MapGrpcService<ObjectivesGrpcService>();
        app.MapGrpcService<WorkflowGrpcService>();
        app.MapGrpcService<AuditGrpcService>();
        return app;
    }
}
