using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerfPlatform.BuildingBlocks.Messaging;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.Scoring.Application;
using PerfPlatform.Scoring.Grpc;
using PerfPlatform.Scoring.Infrastructure;

namespace PerfPlatform.Scoring;

/// <summary>How a host runs the Scoring service: its database, its consumers, its gRPC endpoint.</summary>
public static class ScoringService
{
    public const string DatabaseName = "ScoringDb";

    public static IHostApplicationBuilder AddScoringService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ScoringDbContext, SqliteScoringDbContext, PostgresScoringDbContext>(DatabaseName, "scoring.db");
        builder.Services.AddOutboxDispatcher<ScoringDbContext>();
        builder.Services.AddSingleton<ScoreBook>();
        builder.Services.AddSingleton<RecalculationHub>();
        builder.Services.AddScoped<PlanChangeApplier>();
        return builder;
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        // One batch at a time, in queue order: whatever arrived while the previous batch was written, up to 100.
        bus.AddConsumer<PlanChangedConsumer>(c => c.Options<BatchOptions>(o => o
                .SetMessageLimit(100)
                .SetTimeLimit(TimeSpan.FromMilliseconds(1))
                .SetConcurrencyLimit(1)))
            .Endpoint(e =>
            {
                e.Name = PlanChangeApplier.ConsumerName;
                // Batches fill only if enough messages may be in flight at once.
                e.PrefetchCount = 200;
                e.ConcurrentMessageLimit = 200;
            });
        bus.AddConsumer<RecalculationWatchConsumer>().Endpoint(e =>
        {
            e.Name = $"scoring.watch.{Environment.MachineName}.{Guid.NewGuid():N}";
            e.Temporary = true;
        });
    }

    public static WebApplication MapScoringService(this WebApplication app)
    {
        app.MapGrpcService<ScoringGrpcService>();
        return app;
    }
}
