using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PerfPlatform.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>The activity source of the platform's own spans (imports, recalculations).</summary>
    public const string ActivitySourceName = "PerfPlatform";
    /// <summary>The outbox's lag, dead letters and publish failures (BuildingBlocks' OutboxMetrics).</summary>
    public const string OutboxMeterName = "PerfPlatform.Outbox";

    /// <summary>Telemetry, health checks and gRPC with reflection: what every service host has.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Traces and metrics are collected only where a collector is configured (compose and Kubernetes set it): without
        // an exporter, every gRPC call and every message would still build and tag its spans and feed its histograms for
        // nobody, on the hot path of every change. The trace id still flows
        // without them: ASP.NET Core starts an Activity per request for its logs, and the audit trail records its trace id.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService(serviceName))
                .WithTracing(t => t
                    .AddSource(ActivitySourceName, "MassTransit")
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/healthz") && !ctx.Request.Path.StartsWithSegments("/readyz"))
                    .AddHttpClientInstrumentation())
                .WithMetrics(m => m
                    .AddMeter(ActivitySourceName, OutboxMeterName, "MassTransit")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation())
                .UseOtlpExporter();
        }

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = builder.Environment.IsDevelopment());
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks();
        return builder;
    }

    /// <summary>/healthz (alive), /readyz (dependencies ready), gRPC health and reflection.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") });
        // Degraded (the broker away, events waiting in the outbox, dead letters) still answers 200: the pod keeps taking
        // writes. The body says what is degraded, check by check.
        app.MapHealthChecks("/readyz", new HealthCheckOptions { ResponseWriter = WriteReport });
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
