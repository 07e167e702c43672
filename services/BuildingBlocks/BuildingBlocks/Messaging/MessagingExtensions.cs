using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerfPlatform.BuildingBlocks.Outbox;
using PerfPlatform.BuildingBlocks.Persistence;
using PerfPlatform.IntegrationEvents;

namespace PerfPlatform.BuildingBlocks.Messaging;

public static class MessagingExtensions
{
    public const string RabbitMqConnectionName = "RabbitMq";

    /// <summary>
    /// The bus: RabbitMQ when ConnectionStrings:RabbitMq is set ("amqp://user:pass@host:5672/vhost"),
    /// otherwise in-process. The same consumers and publishers run on either. Each service passes the
    /// consumers it owns; a host running several services passes all of theirs to the one bus.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformMessaging(
        this IHostApplicationBuilder builder, params Action<IBusRegistrationConfigurator>[] serviceConsumers)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        var rabbit = builder.Configuration.GetConnectionString(RabbitMqConnectionName);
        builder.Services.TryAddSingleton(sp => new OutboxPublisher(
            string.IsNullOrWhiteSpace(rabbit) ? null : new Uri(rabbit), sp.GetRequiredService<IBus>(), sp.GetRequiredService<ILogger<OutboxPublisher>>()));
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            // In-process, start the bus before the host reports started: the outbox dispatcher waits for that, so nothing
            // is published (and dropped) before the consumers are bound. With RabbitMQ, never wait for the broker: the
            // service starts and takes writes while it is away (their events wait in the outbox), and the bus connects
            // when it can; the queues are durable.
            o.WaitUntilStarted = string.IsNullOrWhiteSpace(rabbit);
            o.StartTimeout = TimeSpan.FromMinutes(1);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddMassTransit(x =>
        {
            // MassTransit 8.4+ reports usage to its vendor's server unless told not to: a city's services do not call out.
            // (The environment variable MASSTRANSIT_USAGE_TELEMETRY would override this; nothing here sets it.)
            x.DisableUsageTelemetry();
            // A broker away makes the bus Degraded, not Unhealthy: readiness keeps the pod serving writes (docs/reliability.md).
            x.ConfigureHealthCheckOptions(o => o.MinimalFailureStatus = HealthStatus.Degraded);
            foreach (var add in serviceConsumers) add(x);

            if (string.IsNullOrWhiteSpace(rabbit))
            {
                x.UsingInMemory((context, cfg) =>
                {
                    NameExchanges(cfg);
                    cfg.UseMessageRetry(r => r.Intervals(50, 200, 1000, 5000));
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                var uri = new Uri(rabbit);
                x.UsingRabbitMq((context, cfg) =>
                {
                    NameExchanges(cfg);
                    ConfigureRabbitMqHost(cfg, uri);
                    cfg.UseMessageRetry(r => r.Intervals(50, 200, 1000, 5000));
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return builder;
    }

    /// <summary>
    /// A temporary queue of this process for <typeparamref name="TConsumer"/>, receiving the events of
    /// <paramref name="exchange"/> except, on RabbitMQ, those this process published itself (<see cref="ForeignEventsFilter"/>).
    /// In-process it receives them all, which its consumer must absorb.
    /// </summary>
    public static void AddForeignEventsConsumer<TConsumer>(this IBusRegistrationConfigurator bus, string exchange, string queue)
        where TConsumer : class, IConsumer
    {
        bus.AddConsumer<TConsumer>().Endpoint(e =>
        {
            e.Name = queue;
            e.Temporary = true;
        });
        // On RabbitMQ the queue is not bound to the exchange: the filter routes to it.
        bus.AddConfigureEndpointsCallback((_, name, cfg) =>
        {
            if (name == queue && cfg is IRabbitMqReceiveEndpointConfigurator) cfg.ConfigureConsumeTopology = false;
        });
        bus.AddKeyedSingleton(queue, (sp, _) =>
        {
            var rabbit = sp.GetRequiredService<IConfiguration>().GetConnectionString(RabbitMqConnectionName);
            return new ForeignEventsFilter(string.IsNullOrWhiteSpace(rabbit) ? null : new Uri(rabbit), exchange, queue,
                sp.GetRequiredService<ILogger<ForeignEventsFilter>>());
        });
        bus.AddHostedService(sp => sp.GetRequiredKeyedService<ForeignEventsFilter>(queue));
        bus.AddHealthChecks().Add(new HealthCheckRegistration($"events-filter-{queue}",
            sp => sp.GetRequiredKeyedService<ForeignEventsFilter>(queue), HealthStatus.Degraded, ["ready"]));
    }

    /// <summary>The broker from an AMQP URI: amqp://user:pass@host:5672/vhost, or amqps:// for TLS (default port 5671).</summary>
    internal static void ConfigureRabbitMqHost(IRabbitMqBusFactoryConfigurator cfg, Uri uri)
    {
        var userInfo = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        // Percent-decoded, as the AMQP URI spec has it: ".../%2F" is the default vhost "/".
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')) is { Length: > 0 } v ? v : "/";
        var tls = uri.Scheme.Equals("amqps", StringComparison.OrdinalIgnoreCase);
        cfg.Host(uri.Host, (ushort)(uri.IsDefaultPort || uri.Port < 0 ? (tls ? 5671 : 5672) : uri.Port), vhost, h =>
        {
            if (tls) h.UseSsl(s => s.ServerName = uri.Host);
            if (userInfo.Length == 2)
            {
                h.Username(userInfo[0]);
                h.Password(userInfo[1]);
            }
        });
    }

    /// <summary>
    /// Stable exchange names, independent of .NET type names, for subscribers in any language (docs/events.md).
    /// </summary>
    internal static void NameExchanges(IBusFactoryConfigurator cfg)
    {
        cfg.Message<PlanChanged>(m => m.SetEntityName(EventExchanges.PlanChanged));
        cfg.Message<ScoresRecalculated>(m => m.SetEntityName(EventExchanges.ScoresRecalculated));
    }

    /// <summary>Deletes the old rows of <typeparamref name="TContext"/>'s outbox and inbox (Retention:*); AddOutboxDispatcher includes it.</summary>
    public static IServiceCollection AddMessageRetention<TContext>(this IServiceCollection services)
        where TContext : Microsoft.EntityFrameworkCore.DbContext
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section);
        services.AddHostedService<MessageRetention<TContext>>();
        return services;
    }

    /// <summary>Publishes the outbox of <typeparamref name="TContext"/> in the background.</summary>
    public static IServiceCollection AddOutboxDispatcher<TContext>(this IServiceCollection services)
        where TContext : Microsoft.EntityFrameworkCore.DbContext, IOutboxDbContext
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section);
        services.AddSingleton<OutboxDispatcher<TContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher<TContext>>());
        services.AddSingleton<OutboxState<TContext>>();
        services.AddSingleton<OutboxMonitor<TContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxMonitor<TContext>>());
        services.AddSingleton<IOutboxAdministration, OutboxAdministration<TContext>>();
        services.AddHealthChecks().AddCheck<OutboxHealthCheck<TContext>>($"outbox-{typeof(TContext).Name}", tags: ["ready"]);
        services.AddMessageRetention<TContext>();
        return services;
    }
}
