using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.BuildingBlocks.Reconciliation;
using PerfPlatform.IntegrationEvents;
using PerfPlatform.Scoring.Application;
using PerfPlatform.Scoring.Grpc;
using PerfPlatform.Scoring.Infrastructure;
using PerfPlatform.ServiceDefaults.Security;

namespace PerfPlatform.Scoring;

/// <summary>How a host runs the Scoring service: its database, its consumers, its gRPC endpoint.</summary>
public static class ScoringService
{
    public const string DatabaseName = "ScoringDb";

    public static IHostApplicationBuilder AddScoringService(this IHostApplicationBuilder builder)
    {
        // Every RPC checked against ScoringAccess (bearer token, rights; Auth:* settings).
        builder.AddRpcAccess(ScoringAccess.Table);
        builder.AddServiceDatabase<ScoringDbContext, SqliteScoringDbContext, PostgresScoringDbContext>(DatabaseName, "scoring.db");
        builder.Services.AddScoped<ScoringPublishedYears>();
        builder.Services.AddOutboxDispatcher<ScoringDbContext>();
        builder.Services.AddSingleton<ScoreBook>();
        builder.Services.AddSingleton<RecalculationHub>();
        builder.Services.AddSingleton<ScorecardReadCache>();
        builder.Services.AddSingleton<PeriodScorecards>();
        builder.Services.AddScoped<PlanChangeApplier>();
        builder.Services.AddSingleton<PlanChangeBatcher>();
        builder.AddPlanReconciler<HeldPlanVersions>();
        return builder;
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PlanChangedConsumer>().Endpoint(e =>
        {
            e.Name = PlanChangeApplier.ConsumerName;
            // Enough messages in flight for the batcher to group them; each is acknowledged after its commit.
            e.PrefetchCount = 200;
            e.ConcurrentMessageLimit = 200;
        });
        // This replica's watchers hear of its own recalculations at commit: the queue brings them the others'.
        bus.AddForeignEventsConsumer<RecalculationWatchConsumer>(EventExchanges.ScoresRecalculated,
            $"scoring.watch.{Environment.MachineName}.{EventOrigin.Process}");
    }

    public static WebApplication MapScoringService(this WebApplication app)
    {
        app.MapGrpcService<ScoringGrpcService>();
        return app;
    }
}
