using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.Services;

/// <summary>What the current user may do. Pages ask only this, so access control replaces one class.</summary>
public interface IPortalPermissions
{
    bool CanEditValues(ObjectivesV1.OperationalObjective objective);
    bool CanImport { get; }
    bool CanAdvanceYear { get; }
    bool CanValidate { get; }
}

/// <summary>Until access control lands the services take no token, so the portal allows everything.</summary>
public sealed class AllowEverything : IPortalPermissions
{
    public bool CanEditValues(ObjectivesV1.OperationalObjective objective) => true;
    public bool CanImport => true;
    public bool CanAdvanceYear => true;
    public bool CanValidate => true;
}
