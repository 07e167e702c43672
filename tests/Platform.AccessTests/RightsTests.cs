using PerfPlatform.ServiceDefaults.Security;
using Xunit;

namespace PerfPlatform.AccessTests;

/// <summary>The one mapping of roles and scopes to rights (docs/security.md's table).</summary>
public sealed class RightsTests
{
    public static TheoryData<string, string[]> ByRole => new()
    {
        { Roles.Admin, [Rights.PlanRead, Rights.ValuesWrite, Rights.PlanWrite, Rights.YearAdvance, Rights.YearValidate, Rights.AuditRead, Rights.Operations] },
        { Roles.StrategicControl, [Rights.PlanRead, Rights.ValuesWrite, Rights.PlanWrite, Rights.YearAdvance, Rights.AuditRead] },
        { Roles.SectorManager, [Rights.PlanRead, Rights.ValuesWrite] },
        { Roles.Oiv, [Rights.PlanRead, Rights.YearValidate, Rights.AuditRead] },
        { Roles.Viewer, [Rights.PlanRead] },
        { "unknown-role", [] },
    };

    [Theory, MemberData(nameof(ByRole))]
    public void Each_role_grants_exactly_its_rights(string role, string[] rights) =>
        Assert.Equal(rights.Order(), Rights.Of([role], []).Granted.Order());

    public static TheoryData<string, string[]> ByScope => new()
    {
        { Scopes.Read, [Rights.PlanRead] },
        { Scopes.Write, [Rights.ValuesWrite] },
        { Scopes.Import, [Rights.PlanWrite] },
        { Scopes.Admin, [Rights.Operations] },
        { "openid", [] },
    };

    [Theory, MemberData(nameof(ByScope))]
    public void Each_scope_grants_exactly_its_rights(string scope, string[] rights) =>
        Assert.Equal(rights.Order(), Rights.Of([], [scope]).Granted.Order());

    [Fact]
    public void A_sector_manager_writes_values_of_its_sectors_only_unless_another_role_or_scope_grants_them()
    {
        Assert.True(Rights.Of([Roles.SectorManager], []).ValuesWriteOnOwnSectorsOnly);
        Assert.False(Rights.Of([Roles.SectorManager, Roles.StrategicControl], []).ValuesWriteOnOwnSectorsOnly);
        Assert.False(Rights.Of([Roles.SectorManager], [Scopes.Write]).ValuesWriteOnOwnSectorsOnly);
        Assert.False(Rights.Of([Roles.Viewer], []).ValuesWriteOnOwnSectorsOnly);
    }

    [Fact]
    public void A_refusal_names_the_right_the_roles_and_the_scope_that_grant_it()
    {
        Assert.Equal("requires the right 'plan.write' (roles strategic-control, admin; scope perf.import)", Rights.Requirement(Rights.PlanWrite));
        Assert.Equal("requires the right 'year.validate' (roles oiv, admin; no scope)", Rights.Requirement(Rights.YearValidate));
        Assert.Contains("sector-manager only for objectives of its sectors", Rights.Requirement(Rights.ValuesWrite));
        Assert.Throws<ArgumentException>(() => Rights.Requirement("plan.delete"));
    }
}
