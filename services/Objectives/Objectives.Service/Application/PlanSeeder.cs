using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Application;

/// <summary>
/// Loads a document on first start (Objectives:SeedDocument, e.g. the Lecce 2023 Relazione) when its year
/// is not yet stored. It goes through the ordinary import, so its event reaches Scoring like any other.
/// </summary>
internal sealed class PlanSeeder(IServiceScopeFactory scopes, IConfiguration configuration, IHostEnvironment environment, ILogger<PlanSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var setting = configuration["Objectives:SeedDocument"];
        if (string.IsNullOrWhiteSpace(setting)) return;
        var path = Locate(setting);
        if (path is null)
        {
            logger.LogWarning("Seed document {Path} not found; starting without it", setting);
            return;
        }

        var kind = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => DocumentKind.Csv,
            ".xlsx" => DocumentKind.Xlsx,
            _ => DocumentKind.RelazioneText,
        };
        var outcome = PlanImport.Read(kind, await File.ReadAllBytesAsync(path, ct));
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            scope.ServiceProvider.GetRequiredService<ActorAccessor>().Current = new Actor("seed");
            await scope.ServiceProvider.GetRequiredService<PlanImport>()
                .ImportAsync(outcome, Path.GetFileName(path), dryRun: false, replaceExisting: false, ct);
            logger.LogInformation("Loaded {Year} from {Path}", outcome.Plan.Year, path);
        }
        catch (PlanItemExistsException)
        {
            // Already loaded on an earlier start: keep what staff changed since.
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>An absolute path, or one relative to the content root or any folder above it.</summary>
    private string? Locate(string setting)
    {
        if (Path.IsPathRooted(setting)) return File.Exists(setting) ? setting : null;
        foreach (var start in new[] { environment.ContentRootPath, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, setting);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
