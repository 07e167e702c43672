using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>The calculation log of one figure (entity level, an area, a strategic objective): its rule and every input.</summary>
public sealed class CalcoloModel(ScoringV1.Scoring.ScoringClient scoring) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "anno")]
    public int Year { get; set; } = 2023;

    /// <summary>"ente", "area" or "obiettivo" (strategic objective).</summary>
    [BindProperty(SupportsGet = true, Name = "livello")]
    public string Level { get; set; } = "ente";

    /// <summary>An area's number or a strategic objective's code; empty for the entity.</summary>
    [BindProperty(SupportsGet = true, Name = "chiave")]
    public string? Key { get; set; }

    public ScoringV1.Calculation? Calculation { get; private set; }

    /// <summary>Scoring's refusal (unknown year, code or area; a bad level), shown as it is.</summary>
    public string? Problem { get; private set; }

    public bool Missing { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var level = Level switch
        {
            "ente" => ScoringV1.ScoreLevel.Entity,
            "area" => ScoringV1.ScoreLevel.Area,
            "obiettivo" => ScoringV1.ScoreLevel.StrategicObjective,
            _ => ScoringV1.ScoreLevel.Unspecified, // Scoring names the problem
        };
        try
        {
            Calculation = await scoring.GetCalculationAsync(new ScoringV1.GetCalculationRequest
            {
                Year = Year, Level = level, Key = level == ScoringV1.ScoreLevel.Entity ? "" : Key ?? "",
            }, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.NotFound or Grpc.Core.StatusCode.InvalidArgument)
        {
            Response.StatusCode = e.StatusCode == Grpc.Core.StatusCode.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            Problem = e.Status.Detail;
            Missing = e.StatusCode == Grpc.Core.StatusCode.NotFound;
        }
    }

    public static string LevelName(ScoringV1.ScoreLevel level) => level switch
    {
        ScoringV1.ScoreLevel.Area => "area",
        ScoringV1.ScoreLevel.StrategicObjective => "obiettivo",
        _ => "ente",
    };
}
