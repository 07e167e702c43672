using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Reporting.Application;

/// <summary>
/// On start, fills the read model with every year Objectives holds (and its scores), so a Reporting started late or
/// after its database was lost misses no year. Retries until Objectives answers (it may start after Reporting, or be
/// this very process in the embedded host, which listens only once started).
/// </summary>
public sealed class CatchUp(
    IServiceScopeFactory scopes, ObjectivesV1.Objectives.ObjectivesClient objectives, IConfiguration configuration, ILogger<CatchUp> log) : BackgroundService
{
    /// <summary>Waiting this long for Objectives is no longer start-up: from then on it is logged as an error.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every year held at start has been brought current.</summary>
    public Task Done => _done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        var since = DateTimeOffset.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The gRPC client logs a refused connection as an error; until the endpoint listens, ask the socket only.
                await ListeningAsync(new Uri(configuration["Services:Objectives"]!), stoppingToken);
                var years = await objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest(), cancellationToken: stoppingToken);
                foreach (var y in years.Years)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<YearSync>().CatchUpAsync(y.Year, y.Version, stoppingToken);
                }
                log.LogInformation("Reporting caught up with {Years} years", years.Years.Count);
                _done.TrySetResult();
                return;
            }
            catch (Exception ex) when (ex is RpcException or HttpRequestException or SocketException or OperationCanceledException or Microsoft.EntityFrameworkCore.DbUpdateException && !stoppingToken.IsCancellationRequested)
            {
                var waited = DateTimeOffset.UtcNow - since;
                log.Log(waited < TimeSpan.FromSeconds(10) ? LogLevel.Information : waited < Patience ? LogLevel.Warning : LogLevel.Error,
                    "Catch-up waits for Objectives and Scoring ({Waited:0} s): {Error}", waited.TotalSeconds, ex.Message);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private static async Task ListeningAsync(Uri address, CancellationToken ct)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(address.Host, address.Port, timeout.Token);
    }
}
