using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>The scorecard of a year: area means and entity level, computed beside declared, and where they differ.</summary>
public sealed class IndexModel(ScoringV1.Scoring.ScoringClient scoring) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "anno")]
    public int Year { get; set; } = 2023;

    public ScoringV1.Scorecard? Scorecard { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Scorecard = await scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = Year }, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            Scorecard = null;
        }
    }

    /// <summary>Two decimals in the reader's culture (99,40 in Italian); "/" when not assessed.</summary>
    public static string Figure(ScoringV1.Score? score) => Explanations.DiscrepancyText.Figure(score);
}
