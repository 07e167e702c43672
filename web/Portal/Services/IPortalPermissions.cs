using PerfPlatform.ServiceDefaults.Security;
using System.Security.Claims;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.Services;

/// <summary>
/// What the current user may do, so that pages show only the actions allowed and their POST handlers refuse the rest.
/// The services decide in the end (docs/security.md); this mirrors their rights for the page.
/// </summary>
public interface IPortalPermissions
{
    bool CanEditValues(ObjectivesV1.OperationalObjective objective);
    bool CanImport { get; }
    bool CanAdvanceYear { get; }
    bool CanValidate { get; }
}

/// <summary>From the signed-in user's roles and sectors (the portal's claim types, see <see cref="PortalAuth.PortalPrincipal"/>).</summary>
public sealed class ClaimsPortalPermissions(ClaimsPrincipal user) : IPortalPermissions
{
    private readonly HashSet<string> sectors = user.Identity?.IsAuthenticated == true
        ? user.FindAll(PortalClaims.Sector).Select(c => c.Value.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase)
        : [];

    // The services' own mapping of roles to rights (ServiceDefaults' Rights): the portal shows what they would allow.
    private readonly RightSet rights = user.Identity?.IsAuthenticated == true
        ? Rights.Of(Roles.All.Where(user.IsInRole), [])
        : RightSet.None;

    /// <summary>Strategic control and admin for every objective; a sector manager for the objectives of its sectors.</summary>
    public bool CanEditValues(ObjectivesV1.OperationalObjective objective) =>
        rights.Has(Rights.ValuesWrite)
        && (!rights.ValuesWriteOnOwnSectorsOnly || objective.Sectors.Any(s => sectors.Contains(s.Trim())));

    public bool CanImport => rights.Has(Rights.PlanWrite);
    public bool CanAdvanceYear => rights.Has(Rights.YearAdvance);
    public bool CanValidate => rights.Has(Rights.YearValidate);
}

/// <summary>Only with <c>Auth:Disabled=true</c> (tests and benches not about access control): everything allowed.</summary>
public sealed class AllowEverything : IPortalPermissions
{
    public bool CanEditValues(ObjectivesV1.OperationalObjective objective) => true;
    public bool CanImport => true;
    public bool CanAdvanceYear => true;
    public bool CanValidate => true;
}
