using System.Net;
using Xunit;

namespace PerfPlatform.EndToEndTests;

/// <summary>The entity's name in the portal's header (web/Portal/Services/EntityName.cs).</summary>
public sealed class PortalHeaderTests
{
    [Fact]
    public async Task The_configured_entity_name_heads_every_page_without_asking_any_service()
    {
        // No service answers: the name can only come from the setting.
        await using var portal = await StandalonePortal.StartAsync(new Dictionary<string, string> { ["Portal__EntityName"] = "Città di Lecce" });
        using var http = StandalonePortal.Client();
        var page = WebUtility.HtmlDecode(await http.GetStringAsync($"{portal.Url}/Importa"));
        Assert.Contains("Città di Lecce", page);
        Assert.DoesNotContain("navbar-brand\">Ente<", page);
    }

    [Fact]
    public async Task Without_the_setting_or_a_readable_plan_the_header_says_Ente()
    {
        await using var portal = await StandalonePortal.StartAsync(new Dictionary<string, string>());
        using var http = StandalonePortal.Client();
        var page = WebUtility.HtmlDecode(await http.GetStringAsync($"{portal.Url}/Importa"));
        Assert.DoesNotContain("Città di Lecce", page);
        Assert.Contains("navbar-brand\">Ente<", page);
    }
}
