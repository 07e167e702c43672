using System.Net;
using Grpc.Core;
using PerfPlatform.TestSupport;
using Xunit;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.EndToEndTests;

/// <summary>
/// The embedded platform (SQLite, in-process bus, the 2023 annex seeded) and the portal, as processes: the structured
/// causes of the discrepancies and the calculation log over real HTTP/2 gRPC, and the portal rendering them in Italian
/// and English over HTTP.
/// </summary>
public sealed class EmbeddedWithPortal : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "perf-calculation-tests", Guid.NewGuid().ToString("N"));
    public HostProcess Services { get; private set; } = null!;
    public HostProcess Portal { get; private set; } = null!;
    public Uri PortalHttp { get; private set; } = null!;
    public ScoringV1.Scoring.ScoringClient Scoring => new(Services.Channel);

    public async Task InitializeAsync()
    {
        Services = await HostProcess.StartAsync("embedded/Embedded.Host", new Dictionary<string, string>
        {
            ["DataDirectory"] = _dataDir,
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["Objectives__SeedDocument"] = TestEnvironment.LecceRelazione2023,
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}",
        });
        PortalHttp = new Uri($"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}");
        Portal = await HostProcess.StartAsync("web/Portal", new Dictionary<string, string>
        {
            ["Auth__Disabled"] = "true", // the portal's login is tests/Portal.BrowserTests' subject
            ["DataDirectory"] = _dataDir, // its key ring (portal.db) with the rest of this fixture's files, not in its build output
            // The portal talks to all three services (the header's entity name is Objectives', reports Reporting's).
            ["Services__Objectives"] = $"http://127.0.0.1:{Services.GrpcPort}",
            ["Services__Scoring"] = $"http://127.0.0.1:{Services.GrpcPort}",
            ["Services__Reporting"] = $"http://127.0.0.1:{Services.GrpcPort}",
            ["Kestrel__Endpoints__Http__Url"] = PortalHttp.ToString(),
            ["Kestrel__Endpoints__Grpc__Protocols"] = "Http2", // only so that the start-up probe can ask its gRPC health
        });
        await Scoring.ScorecardWhenAsync(2023, c => c.Entity() is not null, "the seeded year scored");
    }

    public async Task DisposeAsync()
    {
        if (Portal is not null) await Portal.DisposeAsync();
        if (Services is not null) await Services.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class CalculationLogTests(EmbeddedWithPortal platform) : IClassFixture<EmbeddedWithPortal>
{
    private static readonly string[] Area1AtFull = ["1.1", "1.10", "1.11", "1.12", "1.14", "1.15", "1.16"];

    [Fact]
    public async Task The_scorecard_names_the_slips_of_2023_as_structured_causes_with_their_calculation()
    {
        var card = await platform.Scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 });
        Assert.Equal(["1", ""], card.Discrepancies.Select(d => d.Key));

        var area = card.Discrepancies[0];
        var leftOut = Assert.Single(area.Causes);
        Assert.Equal((ScoringV1.DiscrepancyCause.ChildLeftOut, 1, 100.0, 99.52, true),
            (leftOut.Cause, leftOut.ChildrenTaken, leftOut.ChildValue.Value, leftOut.Reproduced.Value, leftOut.ReproducesDeclared));
        Assert.Equal(Area1AtFull, leftOut.ChildKeys);
        Assert.Equal((ScoringV1.CalculationRule.MeanOfAssessed, 99.58, 8, card.Version),
            (area.Calculation.Rule, area.Calculation.Result.Value, area.Calculation.Inputs.Count, area.Calculation.Version));

        var entity = card.Discrepancies[1];
        var declared = Assert.Single(entity.Causes, c => c.Cause == ScoringV1.DiscrepancyCause.DeclaredChildValue);
        Assert.Equal(("1", 99.52, 99.39), (string.Join(",", declared.ChildKeys), declared.ChildValue.Value, declared.Reproduced.Value));
        Assert.Contains(entity.Causes, c => c is { Cause: ScoringV1.DiscrepancyCause.RoundedAfter, Truncated: true, Decimals: 2 });
        Assert.Contains("declared 99,39 follows from the declared 99,52 of area 1 instead of its computed 99,58", entity.Explanation);
    }

    [Fact]
    public async Task GetCalculation_gives_any_figure_with_its_inputs()
    {
        var entity = await platform.Scoring.GetCalculationAsync(new ScoringV1.GetCalculationRequest { Year = 2023, Level = ScoringV1.ScoreLevel.Entity });
        Assert.Equal((2023, ScoringV1.ScoreLevel.Entity, 99.40, 99.39, true), (entity.Year, entity.Level, entity.Result.Value, entity.Declared.Value, entity.HasDeclared));
        Assert.Equal(10, entity.Inputs.Count);
        var area9 = entity.Inputs.Single(i => i.Key == "9");
        Assert.Equal((false, ScoringV1.ExclusionReason.NotAssessed, false), (area9.Included, area9.ExcludedBecause, area9.Value.HasValue));
        Assert.Equal((ScoringV1.ScoreLevel.Area, 99.58, 99.52, 1.0), (entity.Inputs[0].Level, entity.Inputs[0].Value.Value, entity.Inputs[0].Declared.Value, entity.Inputs[0].Weight));

        var area = await platform.Scoring.GetCalculationAsync(new ScoringV1.GetCalculationRequest { Year = 2023, Level = ScoringV1.ScoreLevel.Area, Key = "1" });
        Assert.Equal((99.58, 8), (area.Result.Value, area.Inputs.Count(i => i.Included)));
        Assert.Equal(96.67, area.Inputs.Single(i => i.Key == "1.13").Value.Value);

        var objective = await platform.Scoring.GetCalculationAsync(new ScoringV1.GetCalculationRequest { Year = 2023, Level = ScoringV1.ScoreLevel.StrategicObjective, Key = "1.13" });
        Assert.Equal((ScoringV1.CalculationRule.OwnValue, 96.67, 9), (objective.Rule, objective.Result.Value, objective.Inputs.Count));
        Assert.All(objective.Inputs, i => Assert.Equal((ScoringV1.ScoreLevel.OperationalObjective, false), (i.Level, i.Included)));
    }

    [Theory]
    [InlineData(2031, ScoringV1.ScoreLevel.Entity, "", StatusCode.NotFound, "2031")]
    [InlineData(2023, ScoringV1.ScoreLevel.StrategicObjective, "1.99", StatusCode.NotFound, "1.99")]
    [InlineData(2023, ScoringV1.ScoreLevel.Area, "42", StatusCode.NotFound, "area '2023/42'")]
    [InlineData(2023, ScoringV1.ScoreLevel.Area, "uno", StatusCode.InvalidArgument, "key")]
    [InlineData(2023, ScoringV1.ScoreLevel.Unspecified, "", StatusCode.InvalidArgument, "level")]
    [InlineData(2023, ScoringV1.ScoreLevel.OperationalObjective, "x", StatusCode.InvalidArgument, "level")]
    public async Task GetCalculation_refuses_what_it_does_not_hold_naming_it(int year, ScoringV1.ScoreLevel level, string key, StatusCode status, string named)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await platform.Scoring.GetCalculationAsync(new ScoringV1.GetCalculationRequest { Year = year, Level = level, Key = key }));
        Assert.Equal(status, refused.StatusCode);
        Assert.Contains(named, refused.Status.Detail);
    }

    [Fact]
    public async Task The_italian_portal_explains_the_slips_in_italian_and_the_english_one_in_english()
    {
        using var http = new HttpClient { BaseAddress = platform.PortalHttp };
        var italian = WebUtility.HtmlDecode(await http.GetStringAsync("/?anno=2023"));
        Assert.Contains("99,52 è la media di 7 degli 8 obiettivi strategici: ne è escluso uno al 100,00 (può essere uno qualsiasi tra "
            + string.Join(", ", Area1AtFull) + ").", italian);
        Assert.Contains("99,39 si ottiene usando il valore dichiarato dell'area 1, 99,52, invece di quello calcolato, 99,58.", italian);
        Assert.DoesNotContain("declared 99,52", italian); // Scoring's English lines are not what the page shows

        var english = WebUtility.HtmlDecode(await http.GetStringAsync("/?anno=2023&culture=en"));
        Assert.Contains("99.52 is the mean of 7 of the 8 strategic objectives: one at 100.00 is left out (it can be any of 1.1, ", english);
        Assert.Contains("99.39 follows from the declared figure of area 1, 99.52, instead of the computed one, 99.58.", english);
    }

    [Fact]
    public async Task The_portal_shows_the_calculation_log_of_a_figure_in_an_accessible_table()
    {
        using var http = new HttpClient { BaseAddress = platform.PortalHttp };
        var page = WebUtility.HtmlDecode(await http.GetStringAsync("/Calcolo?anno=2023&livello=area&chiave=1"));
        Assert.Contains("<caption>Valori che entrano nel calcolo di Area 1 Cittadinanza Attiva", page);
        Assert.Contains("<th scope=\"col\" class=\"num\">Peso</th>", page);
        Assert.Contains("Calcolato come media di 8 obiettivi strategici valutati: 99,58.", page);
        Assert.Equal(8, CountOf(page, "<th scope=\"row\">"));
        Assert.Contains("<label for=\"chiave\">", page);

        var entity = WebUtility.HtmlDecode(await http.GetStringAsync("/Calcolo?anno=2023&livello=ente&culture=en"));
        Assert.Contains("Not assessed, left out of the mean: area 9.", entity);
        Assert.Contains("<td>no: not assessed</td>", entity);

        var missing = await http.GetAsync("/Calcolo?anno=2023&livello=obiettivo&chiave=1.99&culture=it-IT");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("1.99", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_basic_view_is_the_full_scorecard_without_strategic_objectives_english_sentences_and_names_a_key_gives()
    {
        var full = await platform.Scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023, View = ScoringV1.ScorecardView.Full });
        var unspecified = await platform.Scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023 });
        var basic = await platform.Scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023, View = ScoringV1.ScorecardView.Basic });

        Assert.Equal(full, unspecified); // what GetScorecard always returned
        Assert.Equal(55, full.Areas.Sum(a => a.StrategicObjectives.Count));
        Assert.All(full.Discrepancies, d => Assert.NotEmpty(d.Explanation));

        // The same scorecard, field for field, once the two parts BASIC leaves out are taken from FULL too.
        var trimmed = full.Clone();
        foreach (var area in trimmed.Areas) area.StrategicObjectives.Clear();
        foreach (var discrepancy in trimmed.Discrepancies)
        {
            discrepancy.Explanation.Clear();
            foreach (var input in discrepancy.Calculation.Inputs.Where(i => i.Level != ScoringV1.ScoreLevel.OperationalObjective)) input.Label = "";
        }
        Assert.Equal(trimmed, basic);
        // Only what a key names lost its label: 2023's discrepancies are an area's and the entity level's.
        Assert.Contains(full.Discrepancies, d => d.Calculation.Inputs.Any(i => i.Level == ScoringV1.ScoreLevel.StrategicObjective && i.Label.Length > 0));
        Assert.NotEmpty(basic.Discrepancies);
        Assert.All(basic.Discrepancies, d => { Assert.NotEmpty(d.Causes); Assert.NotNull(d.Calculation); });
        Assert.True(basic.CalculateSize() * 2 < full.CalculateSize(), $"BASIC {basic.CalculateSize()} B against FULL {full.CalculateSize()} B");

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            platform.Scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = 2023, View = (ScoringV1.ScorecardView)7 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("view 7", refused.Status.Detail);
    }

    [Fact]
    public async Task A_browser_renders_the_italian_explanation()
    {
        // Debian's Chromium, headless, prints the page's DOM after it has loaded (scripts/test.sh installs it).
        var profile = Directory.CreateTempSubdirectory("perf-chromium-");
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo("chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}", "--dump-dom",
                new Uri(platform.PortalHttp, "/?anno=2023").ToString(),
            ]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var browser = System.Diagnostics.Process.Start(info)!;
            var stderr = browser.StandardError.ReadToEndAsync();
            var dom = await browser.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await browser.WaitForExitAsync(timeout.Token);
            await stderr;
            Assert.Contains("<html lang=\"it\">", dom);
            Assert.Contains("99,52 è la media di 7 degli 8 obiettivi strategici: ne è escluso uno al 100,00", WebUtility.HtmlDecode(dom));
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}

/// <summary>The same over PostgreSQL: the calculation follows a change without a restart.</summary>
public sealed class CalculationLogOnPostgresTests
{
    [Fact]
    public async Task On_PostgreSQL_the_calculation_and_the_causes_follow_a_change()
    {
        await using var objectivesDb = await PostgresDatabase.CreateAsync("calc_objectives");
        await using var scoringDb = await PostgresDatabase.CreateAsync("calc_scoring");
        await using var host = await HostProcess.StartAsync("embedded/Embedded.Host", new Dictionary<string, string>
        {
            ["ConnectionStrings__ObjectivesDb"] = objectivesDb.ConnectionString,
            ["Auth__Disabled"] = "true", // not about access control (tests/Platform.AccessTests is)
            ["ConnectionStrings__ScoringDb"] = scoringDb.ConnectionString,
            ["Objectives__SeedDocument"] = TestEnvironment.LecceRelazione2023,
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}",
        });
        var scoring = new ScoringV1.Scoring.ScoringClient(host.Channel);
        var before = await scoring.ScorecardWhenAsync(2023, c => c.Entity() is not null, "the seeded year scored");
        Assert.Equal(ScoringV1.DiscrepancyCause.ChildLeftOut, Assert.Single(before.Discrepancies[0].Causes).Cause);

        await new ObjectivesV1.Objectives.ObjectivesClient(host.Channel).SetAsync(2023, "1.13", 100);
        var after = await scoring.ScorecardWhenAsync(2023, c => c.Area(1) == 100, "1.13 at 100 scored");

        var area = await scoring.GetCalculationAsync(new ScoringV1.GetCalculationRequest { Year = 2023, Level = ScoringV1.ScoreLevel.Area, Key = "1" });
        Assert.Equal((100.0, 100.0, after.Version), (area.Result.Value, area.Inputs.Single(i => i.Key == "1.13").Value.Value, area.Version));
        Assert.True(area.Version > before.Version);
        // All eight at 100: no slip tried gives the declared 99,52 any more; the entity's 99,39 still follows from it.
        var byKey = after.Discrepancies.ToDictionary(d => d.Key);
        Assert.Equal(ScoringV1.DiscrepancyCause.NoneFound, Assert.Single(byKey["1"].Causes).Cause);
        Assert.Contains(byKey[""].Causes, c => c.Cause == ScoringV1.DiscrepancyCause.DeclaredChildValue && c.ChildKeys.SequenceEqual(["1"]));
        Assert.Equal(99.44, byKey[""].Computed.Value);
    }
}
