using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.Services;

/// <summary>
/// The entity's name for the header: <c>Portal:EntityName</c> when the deployment sets it (one platform serves one
/// entity, and its name is public before any year is), else the newest plan this reader may read, kept a minute (it
/// changes with an import at most). Null when neither is known: the layout then says "Ente".
/// </summary>
public sealed class EntityName(ObjectivesV1.Objectives.ObjectivesClient objectives, IConfiguration configuration)
{
    public const string Setting = "Portal:EntityName";
    private readonly string? configured = configuration[Setting] is { Length: > 0 } name ? name.Trim() : null;
    private (string Name, DateTimeOffset At)? cached;

    public async Task<string?> GetAsync(CancellationToken ct)
    {
        if (configured is not null) return configured;
        if (cached is { } c && DateTimeOffset.UtcNow - c.At < TimeSpan.FromMinutes(1)) return c.Name;
        try
        {
            var years = await objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct);
            var name = years.Years.OrderByDescending(y => y.Year).Select(y => y.EntityName).FirstOrDefault(n => n.Length > 0);
            if (name is null) return null;
            cached = (name, DateTimeOffset.UtcNow);
            return name;
        }
        catch (Grpc.Core.RpcException)
        {
            return cached?.Name; // the header must not fail the page; the page says what is down
        }
    }
}
