using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerfPlatform.BuildingBlocks.Outbox;

namespace PerfPlatform.BuildingBlocks.Hosting;

/// <summary>A setting a deployed service cannot run without is missing.</summary>
public sealed class MissingSettingException(string message) : Exception(message);

/// <summary>What every deployed service host (not the embedded one) does at start-up and as an operator's command.</summary>
public static class ServiceHost
{
    public const string RetryDeadLettersArgument = "--retry-dead-letters";

    /// <summary>
    /// Refuses to start without the given settings ("ConnectionStrings:RabbitMq", ...), naming each missing one as an
    /// environment variable: a deployed service must not fall back to a local SQLite file or an in-process bus, which would
    /// take writes and publish their events to nobody. The embedded host does not call this and keeps its defaults.
    /// </summary>
    public static IHostApplicationBuilder RequireSettings(this IHostApplicationBuilder builder, params string[] keys)
    {
        var missing = keys.Where(k => string.IsNullOrWhiteSpace(builder.Configuration[k])).Select(k => k.Replace(":", "__", StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
            throw new MissingSettingException(
                $"{builder.Environment.ApplicationName} cannot start: {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not set. " +
                "A deployed service needs its database and broker settings (docs/operations.md, Settings); only the embedded host has defaults.");
        return builder;
    }

    /// <summary>
    /// Runs the service, or, with <c>--retry-dead-letters</c>, moves every dead-lettered outbox row of the service back into
    /// its outbox, prints how many, and exits (the running service's sweep then publishes them). Returns the exit code.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app, string[] args)
    {
        if (!args.Contains(RetryDeadLettersArgument))
        {
            await app.RunAsync();
            return 0;
        }
        var outboxes = app.Services.GetServices<IOutboxAdministration>().ToList();
        if (outboxes.Count == 0)
        {
            await Console.Error.WriteLineAsync("This service has no outbox.");
            return 1;
        }
        foreach (var outbox in outboxes)
        {
            var moved = await outbox.RetryDeadLettersAsync(CancellationToken.None);
            await Console.Out.WriteLineAsync($"{outbox.Name}: {moved} dead-lettered event(s) moved back to the outbox");
        }
        return 0;
    }
}
