using System.Text;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;

namespace PerfPlatform.Portal.BrowserTests;

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}

/// <summary>The staff portal in a real browser, through the gateway, on the 2023 Lecce annex.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PortalTests(PlatformFixture platform)
{
    private async Task<ObjectivesV1.OperationalObjective> FirstOperationalObjectiveAsync(string strategicCode) =>
        (await platform.Objectives.ListOperationalObjectivesAsync(new ObjectivesV1.ListOperationalObjectivesRequest { Year = 2023, StrategicObjectiveCode = strategicCode }))
        .Items.First();

    [Fact]
    public async Task A_value_entered_in_one_tab_updates_the_dashboard_open_in_another_without_a_reload()
    {
        var watcher = await platform.NewPageAsync();
        // A reader (with login on): the relay streams with that reader's token.
        await platform.SignInAsync(watcher, "lettore", "/?anno=2023");
        // The live connection (SignalR through the gateway, then Scoring's stream with the reader's token) can take a
        // while on a busy CI machine.
        await Assertions.Expect(watcher.Locator("#figures[data-live=true]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        var before = await watcher.Locator("[data-testid=entity-computed]").InnerTextAsync();
        Assert.Equal("99,40", before);

        var editor = await platform.NewPageAsync();
        await platform.SignInAsync(editor, "controllo", "/?anno=2023");
        var objective = await FirstOperationalObjectiveAsync("1.13");
        await editor.GotoAsync($"{platform.BaseUrl}/Obiettivo/{objective.Id}");
        await editor.GetByLabel("Realizzazione (%)").FillAsync("100");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Salva" }).ClickAsync();
        await Assertions.Expect(editor.Locator("[data-testid=saved]")).ToBeVisibleAsync();

        // The other tab was not reloaded: the same document, its figures swapped in place by the push.
        await watcher.EvaluateAsync("() => { window.sameDocument = true; }");
        await Assertions.Expect(watcher.Locator("[data-testid=entity-computed]")).ToHaveTextAsync("99,44", new() { Timeout = 20_000 });
        Assert.True(await watcher.EvaluateAsync<bool>("() => window.sameDocument === true"));
        await Assertions.Expect(watcher.Locator("#live-notice")).ToContainTextAsync("99,44");
        await watcher.ScreenshotAsync(new() { Path = Path.Combine(PlatformFixture.Artifacts, "dashboard.png"), FullPage = true });
    }

    [Theory]
    [InlineData("130", "compreso tra 0 e 100")]
    [InlineData("abc", "non è un numero")]
    [InlineData("", "Inserire un valore")]
    public async Task A_bad_value_shows_its_message_and_saves_nothing(string value, string message)
    {
        // Area 2's first objective: not the one the live test changes.
        var tree = await platform.Objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = 2023 });
        var objective = tree.Areas[1].StrategicObjectives.SelectMany(s => s.OperationalObjectives).First();
        var history = await platform.Objectives.GetRealizationHistoryAsync(new ObjectivesV1.GetRealizationHistoryRequest { OperationalObjectiveId = objective.Id });

        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, "controllo", $"/Obiettivo/{objective.Id}");
        await page.GetByLabel("Realizzazione (%)").FillAsync(value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Salva" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=value-error]")).ToContainTextAsync(message);
        await Assertions.Expect(page.GetByLabel("Realizzazione (%)")).ToHaveAttributeAsync("aria-invalid", "true");

        var after = await platform.Objectives.GetRealizationHistoryAsync(new ObjectivesV1.GetRealizationHistoryRequest { OperationalObjectiveId = objective.Id });
        Assert.Equal(history.Entries.Count, after.Entries.Count);
        var now = await platform.Objectives.GetOperationalObjectiveAsync(new ObjectivesV1.GetOperationalObjectiveRequest { Id = objective.Id });
        Assert.Equal(objective.Realization, now.Realization);
    }

    [Fact]
    public async Task A_variant_document_is_imported_through_the_page_after_its_dry_run()
    {
        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, "controllo", "/Importa");
        await page.GetByLabel("Relazione (testo), CSV o XLSX").SetInputFilesAsync(new FilePayload
        {
            Name = "relazione-2031.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes(LecceDocuments.RelazioneFor(2031)),
        });
        await page.Locator("[data-testid=import-preview]").ClickAsync();
        var result = page.Locator("[data-testid=import-result]");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-dry-run", "true");
        await Assertions.Expect(result).ToContainTextAsync("Anno 2031");
        await Assertions.Expect(page.Locator("[data-testid=import-tree] > li")).Not.ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(PlatformFixture.Artifacts, "import-preview.png"), FullPage = true });
        Assert.DoesNotContain(2031, (await platform.Objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest())).Years.Select(y => y.Year));

        await page.Locator("[data-testid=import-confirm]").ClickAsync();
        await Assertions.Expect(result).ToHaveAttributeAsync("data-dry-run", "false");
        Assert.Contains(2031, (await platform.Objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest())).Years.Select(y => y.Year));
    }

    [Fact]
    public async Task The_pdf_annex_downloads()
    {
        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, "lettore", "/Relazione?anno=2023");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=download-pdf]").ClickAsync());
        var path = await download.PathAsync();
        var head = new byte[5];
        await using (var file = File.OpenRead(path)) await file.ReadExactlyAsync(head);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(head));
    }

    [Fact]
    public async Task The_drill_down_shows_an_area_its_strategic_and_operational_objectives()
    {
        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, "lettore", "/?anno=2023");
        var tree = await platform.Objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = 2023 });
        await page.GetByRole(AriaRole.Link, new() { Name = tree.Areas[0].Name, Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=strategic-objective]")).ToHaveCountAsync(tree.Areas[0].StrategicObjectives.Count);
        await page.ScreenshotAsync(new() { Path = Path.Combine(PlatformFixture.Artifacts, "drill-down.png") });
        var first = tree.Areas[0].StrategicObjectives[0].OperationalObjectives[0];
        await page.GetByRole(AriaRole.Link, new() { Name = first.Title, Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(first.Title);
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violation_on_any_page()
    {
        var objective = await FirstOperationalObjectiveAsync("1.1");
        string[] paths = ["/?anno=2023", "/?anno=2023&culture=en", "/Area?anno=2023&numero=1", $"/Obiettivo/{objective.Id}", "/Obiettivi?anno=2023",
            "/Importa", "/Relazione?anno=2023", "/Calcolo?anno=2023&livello=ente"];
        var found = new List<string>();
        // Signed in as strategic control (with login on): every form of every page, and the header's user and "Esci".
        var signedIn = await platform.NewPageAsync();
        await platform.SignInAsync(signedIn, "controllo");
        foreach (var path in paths)
        {
            var page = await signedIn.Context.NewPageAsync();
            var response = await page.GotoAsync(platform.BaseUrl + path);
            Assert.True(response!.Ok, $"{path}: {response.Status}");
            await Axe(page, path, found);
            await page.CloseAsync();
        }
        await signedIn.Context.CloseAsync();
        // Anonymous: the header's "Accedi", and (with login on) the page that asks to log in.
        var anonymous = await platform.NewPageAsync();
        await anonymous.GotoAsync($"{platform.BaseUrl}/Importa");
        await Axe(anonymous, "/Importa (anonymous)", found);
        if (PlatformFixture.AuthEnabled)
        {
            await anonymous.GotoAsync($"{platform.BaseUrl}/?anno=2099");
            await Axe(anonymous, "/?anno=2099 (anonymous)", found);
        }
        await anonymous.Context.CloseAsync();
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    private static async Task Axe(IPage page, string path, List<string> found)
    {
        var result = await page.RunAxe();
        found.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{path}: {v.Id} ({v.Impact}) {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
    }
}
