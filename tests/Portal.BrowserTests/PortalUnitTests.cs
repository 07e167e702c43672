using System.Security.Claims;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using PerfPlatform.Portal.Services;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.BrowserTests;

/// <summary>The portal's access decisions and security settings, without a platform.</summary>
public sealed class PortalPermissionsTests
{
    private static ClaimsPrincipal User(string[] roles, params string[] sectors)
    {
        var identity = new ClaimsIdentity("test", PortalClaims.Name, PortalClaims.Role);
        identity.AddClaim(new Claim(PortalClaims.Name, "someone"));
        foreach (var r in roles) identity.AddClaim(new Claim(PortalClaims.Role, r));
        foreach (var s in sectors) identity.AddClaim(new Claim(PortalClaims.Sector, s));
        return new ClaimsPrincipal(identity);
    }

    private static ObjectivesV1.OperationalObjective Objective(params string[] sectors)
    {
        var o = new ObjectivesV1.OperationalObjective { Id = "x" };
        o.Sectors.AddRange(sectors);
        return o;
    }

    private static readonly ObjectivesV1.OperationalObjective Settore08 = Objective("Settore 08");
    private static readonly ObjectivesV1.OperationalObjective Shared = Objective("Settore 03", "Settore 08");
    private static readonly ObjectivesV1.OperationalObjective Settore03 = Objective("Settore 03");

    [Theory]
    // role,               own,   shared, other, import, advance, validate
    [InlineData("admin", true, true, true, true, true, true)]
    [InlineData("strategic-control", true, true, true, true, true, false)]
    [InlineData("sector-manager", true, true, false, false, false, false)]
    [InlineData("oiv", false, false, false, false, false, true)]
    [InlineData("viewer", false, false, false, false, false, false)]
    public void Each_role_gets_exactly_its_actions(string role, bool own, bool shared, bool other, bool import, bool advance, bool validate)
    {
        var p = new ClaimsPortalPermissions(User([role], "Settore 08"));
        Assert.Equal(own, p.CanEditValues(Settore08));
        Assert.Equal(shared, p.CanEditValues(Shared));
        Assert.Equal(other, p.CanEditValues(Settore03));
        Assert.Equal(import, p.CanImport);
        Assert.Equal(advance, p.CanAdvanceYear);
        Assert.Equal(validate, p.CanValidate);
    }

    [Fact]
    public void Anonymous_gets_nothing_even_with_role_claims_on_an_unauthenticated_identity()
    {
        Assert.False(new ClaimsPortalPermissions(new ClaimsPrincipal()).CanImport);
        var forged = new ClaimsPrincipal(new ClaimsIdentity([new Claim(PortalClaims.Role, "admin"), new Claim(PortalClaims.Sector, "Settore 08")],
            authenticationType: null, PortalClaims.Name, PortalClaims.Role));
        var p = new ClaimsPortalPermissions(forged);
        Assert.False(p.CanImport);
        Assert.False(p.CanValidate);
        Assert.False(p.CanEditValues(Settore08));
    }

    [Fact]
    public void A_sector_manager_without_sectors_edits_nothing_and_sector_names_match_as_the_plan_writes_them()
    {
        Assert.False(new ClaimsPortalPermissions(User(["sector-manager"])).CanEditValues(Settore08));
        Assert.True(new ClaimsPortalPermissions(User(["sector-manager"], " settore 08 ")).CanEditValues(Settore08));
        Assert.False(new ClaimsPortalPermissions(User(["sector-manager"], "Settore 8")).CanEditValues(Settore08));
    }

    [Fact]
    public void Several_roles_add_up()
    {
        var p = new ClaimsPortalPermissions(User(["oiv", "sector-manager"], "Settore 03"));
        Assert.True(p.CanValidate);
        Assert.True(p.CanEditValues(Settore03));
        Assert.False(p.CanEditValues(Settore08));
        Assert.False(p.CanImport);
    }
}

public sealed class PortalPrincipalTests
{
    private static string AccessToken(IDictionary<string, object> claims) =>
        new JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor { Claims = claims });

    private static ClaimsPrincipal IdToken(params Claim[] claims) => new(new ClaimsIdentity(claims, "AuthenticationTypes.Federation"));

    [Fact]
    public void Roles_and_sectors_come_from_the_access_token_under_the_portal_claim_types()
    {
        var token = AccessToken(new Dictionary<string, object>
        {
            ["sub"] = "42", ["name"] = "Dirigente Demo", ["role"] = new[] { "sector-manager", "viewer" }, ["sector"] = new[] { "Settore 08" },
        });
        var user = PortalAuth.PortalPrincipal(IdToken(new Claim("sub", "42"), new Claim("preferred_username", "dirigente")), token, new PortalAuthSettings());
        Assert.True(user.Identity!.IsAuthenticated);
        Assert.Equal("Dirigente Demo", user.Identity.Name);
        Assert.True(user.IsInRole("sector-manager"));
        Assert.True(user.IsInRole("viewer"));
        Assert.False(user.IsInRole("admin"));
        Assert.Equal(["Settore 08"], user.FindAll(PortalClaims.Sector).Select(c => c.Value));
        Assert.Equal("42", user.FindFirst(PortalClaims.Subject)!.Value);
        Assert.True(new ClaimsPortalPermissions(user).CanEditValues(new ObjectivesV1.OperationalObjective { Sectors = { "Settore 08" } }));
    }

    [Fact]
    public void Other_providers_claim_names_are_mapped_by_the_settings()
    {
        // Entra ID: app roles in "roles", the sector in "department"; no "name" in the access token.
        var token = AccessToken(new Dictionary<string, object> { ["oid"] = "abc", ["roles"] = new[] { "oiv" }, ["department"] = "Settore 02" });
        var settings = new PortalAuthSettings { RoleClaim = "roles", SectorClaim = "department" };
        var user = PortalAuth.PortalPrincipal(IdToken(new Claim("sub", "abc"), new Claim("preferred_username", "oiv@comune.example.it")), token, settings);
        Assert.Equal("oiv@comune.example.it", user.Identity!.Name);
        Assert.True(user.IsInRole("oiv"));
        Assert.Equal("Settore 02", user.FindFirst(PortalClaims.Sector)!.Value);
    }

    [Fact]
    public void Without_an_access_token_the_id_token_claims_are_used()
    {
        var user = PortalAuth.PortalPrincipal(IdToken(new Claim("sub", "1"), new Claim("name", "Admin"), new Claim("role", "admin")), null, new PortalAuthSettings());
        Assert.True(user.IsInRole("admin"));
        Assert.Equal("Admin", user.Identity!.Name);
    }
}

public sealed class PortalSettingsTests
{
    [Theory]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("/Obiettivo/abc?x=1", "/Obiettivo/abc?x=1")]
    [InlineData("/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("javascript:alert(1)", "/")]
    public void Login_returns_only_to_a_path_of_this_site(string? asked, string expected) => Assert.Equal(expected, PortalAuth.LocalUrl(asked));

    [Fact]
    public void The_policy_forbids_inline_script_and_framing_and_lets_logout_reach_the_provider()
    {
        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
            SecurityHeaders.Policy(null));
        Assert.EndsWith("form-action 'self' https://login.comune.example.it", SecurityHeaders.Policy("https://login.comune.example.it"));
        Assert.DoesNotContain("unsafe", SecurityHeaders.BasePolicy);
        Assert.Equal("https://login.comune.example.it", new PortalAuthSettings { Authority = "https://login.comune.example.it/realms/perf" }.AuthorityOrigin);
        Assert.Null(new PortalAuthSettings { Authority = "https://login.comune.example.it/realms/perf", Disabled = true }.AuthorityOrigin);
    }

    [Fact]
    public void Settings_have_the_contract_defaults_and_read_the_compose_secret_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Authority"] = "http://localhost:8080/", ["Auth:PortalClientSecret"] = "s",
        }).Build();
        var s = PortalAuthSettings.From(configuration);
        Assert.Equal(("portal", "s", "role", "sector", true, false), (s.ClientId, s.ClientSecret, s.RoleClaim, s.SectorClaim, s.RequireHttpsMetadata, s.Disabled));
    }
}
