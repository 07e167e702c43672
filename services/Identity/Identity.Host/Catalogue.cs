namespace PerfPlatform.Identity;

/// <summary>
/// What the provider registers at start-up (the contract of issue 15, docs/security.md): the roles, one demo user per
/// role, the portal's client and the machine clients with their scopes.
/// </summary>
public static class Catalogue
{
    public const string Audience = "perf-platform";
    public const string RoleClaim = "role";
    public const string SectorClaim = "sector";

    public static readonly string[] Roles = ["admin", "strategic-control", "sector-manager", "oiv", "viewer"];

    public static readonly string[] MachineScopes = ["perf.read", "perf.write", "perf.import", "perf.admin"];

    public sealed record DemoUser(string UserName, string Name, string Role, string[] Sectors);

    public static readonly DemoUser[] Users =
    [
        new("admin", "Amministratore (demo)", "admin", []),
        new("controllo", "Controllo strategico (demo)", "strategic-control", []),
        new("dirigente", "Dirigente Settore 08 (demo)", "sector-manager", ["Settore 08"]),
        new("oiv", "OIV (demo)", "oiv", []),
        new("lettore", "Lettore (demo)", "viewer", []),
    ];

    public sealed record MachineClient(string ClientId, string DisplayName, string[] Scopes);

    public const string PortalClientId = "portal";

    public static readonly MachineClient[] MachineClients =
    [
        new("scoring", "Scoring service", ["perf.read", "perf.admin"]),
        new("reporting", "Reporting service", ["perf.read", "perf.admin"]),
        new("embedded", "Embedded host", ["perf.read", "perf.admin"]),
        new("city-system-sample", "City system (sample)", ["perf.read", "perf.write", "perf.import"]),
    ];

    public static IEnumerable<string> ClientIds => MachineClients.Select(c => c.ClientId).Prepend(PortalClientId);
}
