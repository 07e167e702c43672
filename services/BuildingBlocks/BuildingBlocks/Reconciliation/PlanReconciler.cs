using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerfPlatform.ServiceDefaults.Security;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.BuildingBlocks.Reconciliation;

/// <summary>A subscriber's own copy of the plan: the Objectives version it has applied for each year it holds.</summary>
public interface IHeldPlanVersions
{
    Task<IReadOnlyDictionary<int, long>> HeldAsync(CancellationToken ct);
}

/// <summary>The plan's owner, as a reconciler sees it: its years with their versions, and a republish of one year's whole state.</summary>
public interface IPlanSource
{
    Task<IReadOnlyDictionary<int, long>> YearsAsync(CancellationToken ct);
    Task RepublishAsync(int year, CancellationToken ct);
}

/// <summary>Configuration section "Reconciliation".</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "Reconciliation";
    /// <summary>Time between passes; the first runs at start.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// How long a year may stay behind, republished at every pass, before the process stops itself for its orchestrator to
    /// start it again: its consumers may hear nothing (a connection that looks alive and carries nothing), and MassTransit 8
    /// cannot restart a bus in place. Long, since a broker that is simply away also keeps years behind (a restart is then
    /// harmless: services start without the broker).
    /// </summary>
    public TimeSpan StopAfter { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// The repair for whatever the event flow lost (a subscriber that started after events went out, a message left in an
/// error queue, a queue deleted): on start and every <see cref="ReconciliationOptions.Interval"/>, compares the versions a
/// subscriber holds with Objectives' (ListYears) and asks for a republish (RepublishYear: the whole year, removals
/// included, as one PlanChanged at its current version) of each year it is missing or behind on.
/// <para>
/// Behind means: below the version Objectives had at the previous pass. Events younger than one interval may still be in
/// flight under load and are not a gap; the first pass, with no previous one, asks for every year behind.
/// </para>
/// </summary>
public sealed class PlanReconciler(
    IPlanSource source, IHeldPlanVersions held, IOptions<ReconciliationOptions> options,
    IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<PlanReconciler> logger) : BackgroundService
{
    private IReadOnlyDictionary<int, long>? _previous;
    private readonly Dictionary<int, DateTimeOffset> _behindSince = [];

    /// <summary>Republishes asked for since start (for tests and logs).</summary>
    public int Requested { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try { await started.Task; }
            catch (OperationCanceledException) { return; }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await ReconcileAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { logger.LogWarning(ex, "Reconciliation with Objectives failed; next pass in {Interval}", options.Value.Interval); }
            try { await Task.Delay(options.Value.Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>One pass; returns the years whose republish it asked for.</summary>
    public async Task<IReadOnlyList<int>> ReconcileAsync(CancellationToken ct)
    {
        var theirs = await source.YearsAsync(ct);
        var mine = await held.HeldAsync(ct);
        var asked = new List<int>();
        foreach (var (year, version) in theirs.OrderBy(y => y.Key))
        {
            var have = mine.TryGetValue(year, out var v) ? v : (long?)null;
            // A year Objectives did not have at the previous pass is younger than an interval: its events may still be
            // in flight (seen under load: a year imported just after the first pass was "behind" by the one change in
            // flight, and the whole year was republished). It is due at the next pass.
            long? due = _previous is null ? version : _previous.TryGetValue(year, out var before) ? before : null;
            if (due is null || have is { } h && h >= due)
            {
                _behindSince.Remove(year);
                continue;
            }
            logger.LogWarning("Year {Year}: held at {Held}, Objectives at {Version}: asking for a republish", year, have?.ToString() ?? "none", version);
            await source.RepublishAsync(year, ct);
            Requested++;
            asked.Add(year);
            _behindSince.TryAdd(year, clock.GetUtcNow());
        }
        _previous = theirs;
        if (_behindSince.Values.Any(since => clock.GetUtcNow() - since > options.Value.StopAfter))
        {
            // Republished again and again and still not applied: this process's consumers hear nothing.
            logger.LogCritical("Years {Years} stay behind although republished for {StopAfter}: stopping, to be started again with new connections",
                string.Join(", ", _behindSince.Keys), options.Value.StopAfter);
            lifetime.StopApplication();
        }
        return asked;
    }
}

/// <summary>Objectives over gRPC (<c>Services:Objectives</c>, e.g. http://objectives:5101).</summary>
public sealed class ObjectivesPlanSource(GrpcChannel channel) : IPlanSource
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private readonly ObjectivesV1.Objectives.ObjectivesClient _client = new(channel);

    public async Task<IReadOnlyDictionary<int, long>> YearsAsync(CancellationToken ct) =>
        (await _client.ListYearsAsync(new ObjectivesV1.ListYearsRequest(), deadline: DateTime.UtcNow + CallTimeout, cancellationToken: ct))
        .Years.ToDictionary(y => y.Year, y => y.Version);

    public async Task RepublishAsync(int year, CancellationToken ct) =>
        await _client.RepublishYearAsync(new ObjectivesV1.RepublishYearRequest { Year = year }, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: ct);
}

public static class ReconciliationExtensions
{
    public const string ObjectivesAddressKey = "Services:Objectives";

    /// <summary>
    /// Reconciles <typeparamref name="THeld"/> (the subscriber's versions) with Objectives at <c>Services:Objectives</c>, calling it
    /// with the host's service token (<see cref="ServiceTokenSource"/>: Auth:ClientId and Auth:ClientSecret, unless Auth:Disabled).
    /// Without that setting it adds nothing; deployed hosts require it (ServiceHost.RequireSettings). A subscriber that
    /// can repair a year itself (Reporting reads whole years over gRPC) passes <paramref name="repair"/> to do so instead
    /// of asking Objectives for a republish. Several subscribers in one process (the embedded host) each get their own
    /// reconciler: nothing here is registered under a shared service type.
    /// </summary>
    public static IHostApplicationBuilder AddPlanReconciler<THeld>(this IHostApplicationBuilder builder,
        Func<IServiceProvider, int, CancellationToken, Task>? repair = null) where THeld : class, IHeldPlanVersions
    {
        var address = builder.Configuration[ObjectivesAddressKey];
        if (string.IsNullOrWhiteSpace(address)) return builder;
        // ListYears needs plan.read, RepublishYear operations: the host's own client-credentials token.
        builder.AddServiceTokens();
        builder.Services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.Section);
        builder.Services.TryAddSingleton<THeld>();
        // Not AddHostedService: it dedupes by implementation type, which would keep only the first subscriber's.
        builder.Services.AddSingleton<IHostedService>(sp =>
        {
            var objectives = new ObjectivesPlanSource(GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = sp.ServiceTokenHttpHandler() }));
            IPlanSource source = repair is null ? objectives : new SelfRepairingPlanSource(objectives, (year, ct) => repair(sp, year, ct));
            return ActivatorUtilities.CreateInstance<PlanReconciler>(sp, source, (IHeldPlanVersions)sp.GetRequiredService<THeld>());
        });
        return builder;
    }

    /// <summary>Objectives' years; a year behind is repaired by the subscriber itself.</summary>
    private sealed class SelfRepairingPlanSource(ObjectivesPlanSource objectives, Func<int, CancellationToken, Task> repair) : IPlanSource
    {
        public Task<IReadOnlyDictionary<int, long>> YearsAsync(CancellationToken ct) => objectives.YearsAsync(ct);
        public Task RepublishAsync(int year, CancellationToken ct) => repair(year, ct);
    }
}
