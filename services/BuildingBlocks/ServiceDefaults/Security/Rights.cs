namespace PerfPlatform.ServiceDefaults.Security;

/// <summary>The roles people get from the identity provider (claim <c>role</c>, or <c>Auth:RoleClaim</c>).</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string StrategicControl = "strategic-control";
    public const string SectorManager = "sector-manager";
    public const string Oiv = "oiv";
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, StrategicControl, SectorManager, Oiv, Viewer];
}

/// <summary>The scopes of machine clients (client-credentials tokens of other city systems and of the services themselves).</summary>
public static class Scopes
{
    public const string Read = "perf.read";
    public const string Write = "perf.write";
    public const string Import = "perf.import";
    public const string Admin = "perf.admin";
}

/// <summary>
/// The one place that maps roles and scopes to rights (docs/security.md, "Roles, scopes and rights"). Services check
/// rights, never roles: an RPC names the right it needs in its access table (e.g. ObjectivesAccess), and a refusal
/// names the right and what grants it.
/// </summary>
public static class Rights
{
    /// <summary>Read plans, scores, reports, calculation logs.</summary>
    public const string PlanRead = "plan.read";
    /// <summary>Write realization values (a sector manager only for operational objectives of its sectors).</summary>
    public const string ValuesWrite = "values.write";
    /// <summary>Structure, imports, replacements, deletes.</summary>
    public const string PlanWrite = "plan.write";
    /// <summary>The year's workflow: to monitoring, to final, publish.</summary>
    public const string YearAdvance = "year.advance";
    /// <summary>The year's workflow: validate, reopen.</summary>
    public const string YearValidate = "year.validate";
    /// <summary>Read the audit trail and the archived years.</summary>
    public const string AuditRead = "audit.read";
    /// <summary>Republish a year, dead letters.</summary>
    public const string Operations = "operations";

    private sealed record Grant(IReadOnlyList<string> Roles, string? Scope, string? Note = null);

    private static readonly Dictionary<string, Grant> Grants = new(StringComparer.Ordinal)
    {
        [PlanRead] = new(Roles.All, Scopes.Read),
        [ValuesWrite] = new([Roles.StrategicControl, Roles.Admin, Roles.SectorManager], Scopes.Write, "sector-manager only for objectives of its sectors"),
        [PlanWrite] = new([Roles.StrategicControl, Roles.Admin], Scopes.Import),
        [YearAdvance] = new([Roles.StrategicControl, Roles.Admin], null),
        [YearValidate] = new([Roles.Oiv, Roles.Admin], null),
        [AuditRead] = new([Roles.StrategicControl, Roles.Oiv, Roles.Admin], null),
        [Operations] = new([Roles.Admin], Scopes.Admin),
    };

    public static IReadOnlyList<string> All { get; } = [PlanRead, ValuesWrite, PlanWrite, YearAdvance, YearValidate, AuditRead, Operations];

    /// <summary>The roles that grant <paramref name="right"/>.</summary>
    public static IReadOnlyList<string> RolesGranting(string right) => GrantOf(right).Roles;

    /// <summary>The scope that grants <paramref name="right"/> to a machine client; null when no scope does.</summary>
    public static string? ScopeGranting(string right) => GrantOf(right).Scope;

    /// <summary>What a refusal says, e.g. "requires the right 'plan.write' (roles strategic-control, admin; scope perf.import)".</summary>
    public static string Requirement(string right)
    {
        var grant = GrantOf(right);
        var roles = string.Join(", ", grant.Roles.Select(r => r == Roles.SectorManager && grant.Note is not null ? grant.Note : r));
        return $"requires the right '{right}' (roles {roles}; {(grant.Scope is null ? "no scope" : "scope " + grant.Scope)})";
    }

    /// <summary>The rights that <paramref name="roles"/> and <paramref name="scopes"/> grant together.</summary>
    public static RightSet Of(IEnumerable<string> roles, IEnumerable<string> scopes)
    {
        var roleSet = roles.ToHashSet(StringComparer.Ordinal);
        var scopeSet = scopes.ToHashSet(StringComparer.Ordinal);
        var rights = new HashSet<string>(StringComparer.Ordinal);
        var valuesWriteUnrestricted = false;
        foreach (var (right, grant) in Grants)
        {
            var byScope = grant.Scope is not null && scopeSet.Contains(grant.Scope);
            var byRole = grant.Roles.Where(roleSet.Contains).ToList();
            if (!byScope && byRole.Count == 0) continue;
            rights.Add(right);
            if (right == ValuesWrite) valuesWriteUnrestricted = byScope || byRole.Any(r => r != Roles.SectorManager);
        }
        return new RightSet(rights, rights.Contains(ValuesWrite) && !valuesWriteUnrestricted);
    }

    private static Grant GrantOf(string right) =>
        Grants.TryGetValue(right, out var grant) ? grant : throw new ArgumentException($"'{right}' is not a right: use one of {string.Join(", ", All)}", nameof(right));
}

/// <summary>The rights of one caller.</summary>
/// <param name="ValuesWriteOnOwnSectorsOnly">
/// True when <see cref="Rights.ValuesWrite"/> comes only from the role sector-manager: values only for operational
/// objectives whose sectors meet the caller's sector claim (checked where the objective is known, on the write path).
/// </param>
public sealed record RightSet(IReadOnlySet<string> Granted, bool ValuesWriteOnOwnSectorsOnly)
{
    public static RightSet None { get; } = new(new HashSet<string>(), false);
    public static RightSet Everything { get; } = new(Rights.All.ToHashSet(StringComparer.Ordinal), false);

    public bool Has(string right) => Granted.Contains(right);
}
