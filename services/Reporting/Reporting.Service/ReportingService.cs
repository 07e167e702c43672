using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.BuildingBlocks.Reconciliation;
using PerfPlatform.Reporting.Application;
using PerfPlatform.Reporting.Grpc;
using PerfPlatform.Reporting.Infrastructure;
using PerfPlatform.ServiceDefaults.Security;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Reporting;

/// <summary>How a host runs the Reporting service: its database, its consumers, its clients of Objectives and Scoring, its gRPC endpoint.</summary>
public static class ReportingService
{
    public const string DatabaseName = "ReportingDb";

    public static IHostApplicationBuilder AddReportingService(this IHostApplicationBuilder builder)
    {
        // Every RPC checked against ReportingAccess (bearer token, rights; Auth:* settings).
        builder.AddRpcAccess(ReportingAccess.Table);
        builder.AddServiceDatabase<ReportingDbContext, SqliteReportingDbContext, PostgresReportingDbContext>(DatabaseName, "reporting.db");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMessageRetention<ReportingDbContext>();
        // Objectives and Scoring are read with Reporting's own client-credentials token (Auth:ClientId, Auth:ClientSecret).
        builder.AddServiceTokens();
        builder.Services.AddGrpcClient<ObjectivesV1.Objectives.ObjectivesClient>(o => o.Address = Address(builder.Configuration, "Objectives")).AddServiceToken();
        builder.Services.AddGrpcClient<ObjectivesV1.YearWorkflow.YearWorkflowClient>(o => o.Address = Address(builder.Configuration, "Objectives")).AddServiceToken();
        builder.Services.AddGrpcClient<ScoringV1.Scoring.ScoringClient>(o => o.Address = Address(builder.Configuration, "Scoring")).AddServiceToken();
        builder.Services.AddScoped<ReportingPublishedYears>();
        builder.Services.AddScoped<YearSync>();
        builder.Services.AddSingleton<ReportCache>();
        builder.Services.AddSingleton<CatchUp>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CatchUp>());
        // Events lost on the way (a queue purged or unbound, a message dead-lettered) are repaired every interval.
        builder.AddPlanReconciler<ReportingHeldPlanVersions>(ReportingHeldPlanVersions.RepairAsync);
        return builder;
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ReportingPlanChangedConsumer>().Endpoint(e => e.Name = YearSync.PlanConsumer);
        bus.AddConsumer<ReportingScoresRecalculatedConsumer>().Endpoint(e => e.Name = YearSync.ScoresConsumer);
    }

    public static WebApplication MapReportingService(this WebApplication app)
    {
        app.MapGrpcService<ReportingGrpcService>();
        return app;
    }

    private static Uri Address(IConfiguration configuration, string service) =>
        new(configuration[$"Services:{service}"]
            ?? throw new InvalidOperationException($"Services:{service} is not set: Reporting reads the {service} service over gRPC (e.g. http://{service.ToLowerInvariant()}:port)"));
}
