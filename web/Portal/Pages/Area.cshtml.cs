using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>The drill-down of an area: its strategic objectives (computed beside declared) and their operational objectives.</summary>
public sealed class AreaModel(ObjectivesV1.Objectives.ObjectivesClient objectives, ScoringV1.Scoring.ScoringClient scoring) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "anno")] public int Year { get; set; } = 2023;
    [BindProperty(SupportsGet = true, Name = "numero")] public int Number { get; set; } = 1;

    public ObjectivesV1.Area? Area { get; private set; }
    public ScoringV1.AreaScore? Score { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        try
        {
            var tree = objectives.GetYearTreeAsync(new ObjectivesV1.GetYearTreeRequest { Year = Year }, cancellationToken: ct);
            var score = scoring.GetAreaAsync(new ScoringV1.GetAreaRequest { Year = Year, Number = Number }, cancellationToken: ct);
            Area = (await tree).Areas.FirstOrDefault(a => a.Number == Number);
            Score = await score;
        }
        catch (RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.NotFound or Grpc.Core.StatusCode.InvalidArgument)
        {
            Area = null;
        }
        return Area is null ? NotFound() : Page();
    }

    public ScoringV1.StrategicObjectiveScore? ScoreOf(string code) => Score?.StrategicObjectives.FirstOrDefault(s => s.Code == code);
}
