using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.Services;

/// <summary>The entity's name for the header, from the plans held (kept a minute: it changes with an import at most).</summary>
public sealed class EntityName(ObjectivesV1.Objectives.ObjectivesClient objectives)
{
    private (string Name, DateTimeOffset At)? cached;

    public async Task<string?> GetAsync(CancellationToken ct)
    {
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
