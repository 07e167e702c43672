using Grpc.Core;
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
public sealed class CatchUp(IServiceScopeFactory scopes, ObjectivesV1.Objectives.ObjectivesClient objectives, ILogger<CatchUp> log) : BackgroundService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every year held at start has been brought current.</summary>
    public Task Done => _done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
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
            catch (Exception ex) when (ex is RpcException or HttpRequestException or Microsoft.EntityFrameworkCore.DbUpdateException && !stoppingToken.IsCancellationRequested)
            {
                log.LogInformation("Catch-up waits for Objectives and Scoring: {Error}", ex.Message);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }
}
