using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>
/// The dashboard of a year: entity level and area means, computed beside declared, where they differ and why,
/// the objectives not assessed. The figures are a partial that the page fetches again when Scoring recalculates.
/// </summary>
public sealed class IndexModel(
    ScoringV1.Scoring.ScoringClient scoring, ObjectivesV1.Objectives.ObjectivesClient objectives, Live.RecalculationRelay relay,
    Live.DashboardCache cache, Services.UserAccessToken tokens) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "anno")]
    public int Year { get; set; } = 2023;

    /// <summary>"", "monitoraggio" (30 June) or "finale" (31 December).</summary>
    [BindProperty(SupportsGet = true, Name = "periodo")]
    public string Period { get; set; } = "";

    public ScoringV1.Scorecard? Scorecard { get; private set; }
    public IReadOnlyList<ObjectivesV1.OperationalObjective> NotAssessed { get; private set; } = [];
    public IReadOnlyList<int> Years { get; private set; } = [];
    public DateTimeOffset? LastRecalculation => relay.LastRecalculation(Year);

    /// <summary>The reader the services answered (their answers differ by reader), as the live relay names it.</summary>
    private string Reader => User.Identity?.IsAuthenticated == true
        ? $"user:{User.FindFirst(Services.PortalClaims.Subject)?.Value ?? User.Identity!.Name}"
        : Live.RecalculationRelay.Anonymous;

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            // Kept with the figures of the year shown (at most DashboardCache.MaxAge: a year imported meanwhile appears then).
            var years = await cache.ReadAsync("years", Year, 0, Reader, await tokens.GetAsync(HttpContext),
                t => objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest(), cancellationToken: t).ResponseAsync, null, ct);
            Years = years.Value.Years.Select(y => y.Year).Order().ToList();
            yearsRead = (years.Generation, years.ReadAt);
        }
        catch (RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.Unauthenticated or Grpc.Core.StatusCode.PermissionDenied)
        {
            Years = []; // the list of years is not for this reader; the year asked for may still be published
            yearsRead = (null, 0);
        }
        await LoadFiguresAsync(ct);
        if (yearsRead.Generation == figuresRead.Generation) Stamp(Math.Min(yearsRead.ReadAt, figuresRead.ReadAt));
    }

    private (long? Generation, long ReadAt) yearsRead, figuresRead;

    /// <summary>
    /// Tells <see cref="Live.DashboardPageCache"/> that this answer was made only of copies current under one generation
    /// of the year (so it may be served again while they are).
    /// </summary>
    private void Stamp(long readAt)
    {
        if (figuresRead.Generation is { } generation)
            HttpContext.Features.Set(new Live.DashboardPageCache.Stamp(Year, generation, readAt));
    }

    /// <summary>The figures alone, for the live update.</summary>
    public async Task<IActionResult> OnGetFiguresAsync(CancellationToken ct)
    {
        await LoadFiguresAsync(ct);
        Stamp(figuresRead.ReadAt);
        return Partial("_Figures", this);
    }

    private async Task LoadFiguresAsync(CancellationToken ct)
    {
        var period = Period switch
        {
            "monitoraggio" => ScoringV1.Period.Monitoring,
            "finale" => ScoringV1.Period.Final,
            _ => ScoringV1.Period.Unspecified,
        };
        try
        {
            // Both read under one cache entry (one generation), so the scorecard and the list agree with each other.
            var figures = await cache.ReadAsync("figures", Year, (int)period, Reader, await tokens.GetAsync(HttpContext), async t =>
            {
                var card = scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = Year, Period = period, View = ScoringV1.ScorecardView.Basic }, cancellationToken: t);
                var left = objectives.ListOperationalObjectivesAsync(
                    new ObjectivesV1.ListOperationalObjectivesRequest { Year = Year, NotAssessed = true }, cancellationToken: t);
                return Tuple.Create(await card, await left);
            }, f => period == ScoringV1.Period.Unspecified ? f.Item1.Version : null, ct);
            (Scorecard, NotAssessed) = (figures.Value.Item1, figures.Value.Item2.Items);
            figuresRead = (figures.Generation, figures.ReadAt);
        }
        catch (RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            Scorecard = null;
        }
    }

    /// <summary>The area means for the chart (null when not assessed), as the canvas's data attribute.</summary>
    public string ChartData() => System.Text.Json.JsonSerializer.Serialize(new
    {
        // Numbers on the axis (the names are long); the full name in the tooltip.
        labels = Scorecard!.Areas.Select(a => a.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        names = Scorecard.Areas.Select(a => $"{a.Number}. {a.Name}"),
        computed = Scorecard.Areas.Select(a => a.Computed is { HasValue: true } s ? s.Value : (double?)null),
        declared = Scorecard.Areas.Select(a => a.HasDeclared && a.Declared is { HasValue: true } s ? s.Value : (double?)null),
    });

    /// <summary>Two decimals in the reader's culture (99,40 in Italian); "/" when not assessed.</summary>
    public static string Figure(ScoringV1.Score? score) => Explanations.DiscrepancyText.Figure(score);
}
