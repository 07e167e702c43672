using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.BrowserTests;

/// <summary>The portal's security headers, its CSP kept by every page, antiforgery on every form: through the gateway.</summary>
[Collection(PlatformCollection.Name)]
public sealed partial class PortalSecurityTests(PlatformFixture platform)
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>With login on, form-action also names the provider's origin, which is the gateway's (run.sh).</summary>
    private string ExpectedPolicy => PlatformFixture.AuthEnabled ? $"{Policy} {new Uri(platform.BaseUrl).GetLeftPart(UriPartial.Authority)}" : Policy;

    /// <summary>The pages a browser is shown (not the bare 404, whose empty body the browser treats as a failed load).</summary>
    private async Task<IEnumerable<string>> PagesAsync() => (await PathsAsync())
        .Where(p => !p.StartsWith("/css", StringComparison.Ordinal) && !p.StartsWith("/js", StringComparison.Ordinal) && p != "/pagina-che-non-esiste");

    private async Task<string[]> PathsAsync()
    {
        var objective = (await platform.Objectives.ListOperationalObjectivesAsync(new ObjectivesV1.ListOperationalObjectivesRequest { Year = 2023 })).Items.First();
        return ["/?anno=2023", "/?anno=2023&culture=en", "/?anno=2023&handler=Figures", "/Area?anno=2023&numero=1", $"/Obiettivo/{objective.Id}",
            "/Obiettivi?anno=2023", "/Importa", "/Relazione?anno=2023", "/Calcolo?anno=2023&livello=ente", "/Errore", "/pagina-che-non-esiste",
            "/css/site.css", "/js/dashboard.js"];
    }

    private HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(platform.BaseUrl) };

    [Fact]
    public async Task Every_answer_has_the_security_headers_and_the_exact_policy()
    {
        using var client = Client();
        foreach (var path in await PathsAsync())
        {
            using var response = await client.GetAsync(path);
            string Header(string name) => response.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : "";
            Assert.True(ExpectedPolicy == Header("Content-Security-Policy"), $"{path}: CSP {Header("Content-Security-Policy")}");
            Assert.True(Header("X-Content-Type-Options") == "nosniff", $"{path}: nosniff");
            Assert.True(Header("Referrer-Policy") == "same-origin", $"{path}: Referrer-Policy");
            Assert.True(Header("X-Frame-Options") == "DENY", $"{path}: X-Frame-Options");
            // Plain HTTP here: HSTS only behind TLS.
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), $"{path}: HSTS on plain HTTP");
        }
    }

    [Fact]
    public async Task Behind_TLS_the_portal_sends_HSTS_and_Secure_cookies()
    {
        // As a gateway behind a TLS Ingress forwards a browser's request: straight to the portal, with X-Forwarded-*.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(platform.PortalUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/?anno=2023&culture=en");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "perf.comune.example.it");
        using var response = await client.SendAsync(request);
        Assert.StartsWith("max-age=", string.Join(",", response.Headers.GetValues("Strict-Transport-Security")));
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var c) ? c.ToList() : [];
        Assert.Contains(cookies, v => v.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal) && v.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, v => Assert.Contains("httponly", v, StringComparison.OrdinalIgnoreCase));

        // Plain HTTP: no HSTS, no Secure (a laptop's run.sh would lose its cookies).
        using var plain = await client.GetAsync("/?anno=2023&culture=en");
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain(plain.Headers.GetValues("Set-Cookie"), v => v.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_annex_in_its_frame_has_its_own_policy_no_script_framed_only_by_the_portal()
    {
        // 2023 is not published: the annex is read with a signed-in session's cookies.
        var page = await platform.NewPageAsync();
        if (PlatformFixture.AuthEnabled) await platform.SignInAsync(page, "lettore");
        var response = await page.Context.APIRequest.GetAsync(platform.BaseUrl + "/Relazione?anno=2023&handler=File&formato=html");
        Assert.Equal(200, response.Status);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
            response.Headers["content-security-policy"]);
        Assert.Equal("SAMEORIGIN", response.Headers["x-frame-options"]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task No_page_has_inline_script_style_or_event_handlers()
    {
        var found = new List<string>();
        // The HTML as served (no script run): the browser parses it, nothing of the page's own scripts added yet.
        var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, Locale = "it-IT" });
        if (PlatformFixture.AuthEnabled) await platform.SignInAsync(await context.NewPageAsync(), "controllo");
        foreach (var path in await PagesAsync())
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(platform.BaseUrl + path);
            var inline = await page.EvaluateAsync<string[]>("""
                () => [
                  ...[...document.querySelectorAll('script:not([src])')].map(s => 'script: ' + s.outerHTML.slice(0, 80)),
                  ...[...document.querySelectorAll('style')].map(s => 'style element: ' + s.outerHTML.slice(0, 80)),
                  ...[...document.querySelectorAll('[style]')].map(e => 'style attribute: ' + e.outerHTML.slice(0, 80)),
                  ...[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name)).map(a => 'handler: ' + e.tagName + ' ' + a.name)),
                  ...[...document.querySelectorAll('a[href^="javascript:" i]')].map(a => 'javascript: link ' + a.outerHTML.slice(0, 80)),
                ]
                """);
            found.AddRange(inline.Select(i => $"{path}: {i}"));
            await page.CloseAsync();
        }
        await context.CloseAsync();
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public async Task No_page_breaks_its_policy_in_the_browser()
    {
        var violations = new List<string>();
        var page = await platform.NewPageAsync();
        if (PlatformFixture.AuthEnabled) await platform.SignInAsync(page, "controllo");
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add($"{page.Url}: {m.Text}"); };
        foreach (var path in await PagesAsync())
        {
            if (path.Contains("handler=")) continue;
            await page.GotoAsync(platform.BaseUrl + path, new() { WaitUntil = WaitUntilState.NetworkIdle });
        }
        // The dashboard's live connection (SignalR over WebSocket) is allowed by connect-src 'self'.
        await page.GotoAsync($"{platform.BaseUrl}/?anno=2023");
        await Assertions.Expect(page.Locator("#figures[data-live=true]")).ToHaveCountAsync(1, new() { Timeout = 30_000 }); // slow on a busy CI machine
        // The mobile menu (Bootstrap Italia's script) opens and closes under the policy.
        await page.SetViewportSizeAsync(480, 900);
        await page.Locator(".custom-navbar-toggler").ClickAsync();
        await Assertions.Expect(page.Locator("#nav-main")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_with_400_and_changes_nothing()
    {
        var objective = (await platform.Objectives.ListOperationalObjectivesAsync(new ObjectivesV1.ListOperationalObjectivesRequest { Year = 2023 })).Items.Last();
        var before = await platform.Objectives.GetRealizationHistoryAsync(new ObjectivesV1.GetRealizationHistoryRequest { OperationalObjectiveId = objective.Id });
        using var client = Client();
        var posts = new (string Path, HttpContent Body)[]
        {
            ($"/Obiettivo/{objective.Id}", new FormUrlEncodedContent(new Dictionary<string, string> { ["Value"] = "12", ["AsOf"] = "2023-12-31" })),
            ("/Importa?handler=Preview", new MultipartFormDataContent { { new StringContent("x"), "DocumentContent" } }),
            ("/Importa?handler=Confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["DocumentContent"] = "eA==", ["FileName"] = "x.txt" })),
            ("/esci", new FormUrlEncodedContent(new Dictionary<string, string>())),
        };
        foreach (var (path, body) in posts)
        {
            using var response = await client.PostAsync(path, body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        }
        var after = await platform.Objectives.GetRealizationHistoryAsync(new ObjectivesV1.GetRealizationHistoryRequest { OperationalObjectiveId = objective.Id });
        Assert.Equal(before.Entries.Count, after.Entries.Count);
    }

    [Fact]
    public async Task Every_post_form_of_every_page_carries_the_antiforgery_token()
    {
        var objective = (await platform.Objectives.ListOperationalObjectivesAsync(new ObjectivesV1.ListOperationalObjectivesRequest { Year = 2023 })).Items.First();
        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, "controllo");
        var forms = 0;
        foreach (var path in new[] { "/?anno=2023", $"/Obiettivo/{objective.Id}", "/Importa", "/Obiettivi?anno=2023", "/Relazione?anno=2023" })
        {
            await page.GotoAsync(platform.BaseUrl + path);
            var posts = page.Locator("form[method=post i]");
            forms += await posts.CountAsync();
            for (var i = 0; i < await posts.CountAsync(); i++)
                Assert.True(await posts.Nth(i).Locator("input[name=__RequestVerificationToken]").CountAsync() == 1, $"{path}: form {i} has no token");
        }
        Assert.True(forms >= 2, $"only {forms} POST forms seen"); // the value form and the import form at least
        await page.Context.CloseAsync();
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [Fact]
    public async Task The_served_html_has_no_inline_script_tag()
    {
        // The same check on the raw text, so a script the parser would drop (e.g. inside a template) is caught too.
        using var client = Client();
        foreach (var path in (await PathsAsync()).Where(p => !p.StartsWith("/css", StringComparison.Ordinal) && !p.StartsWith("/js", StringComparison.Ordinal)))
        {
            var html = await (await client.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.False(InlineScript().IsMatch(html), $"{path}: {InlineScript().Match(html).Value}");
        }
    }
}
