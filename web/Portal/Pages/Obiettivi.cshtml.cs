using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>Search and filters over ListOperationalObjectives, with the breakdowns by sector and by BES dimension.</summary>
public sealed class ObiettiviModel(ObjectivesV1.Objectives.ObjectivesClient objectives, ScoringV1.Scoring.ScoringClient scoring) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "anno")] public int Year { get; set; } = 2023;
    [BindProperty(SupportsGet = true, Name = "testo")] public string? Text { get; set; }
    [BindProperty(SupportsGet = true, Name = "settore")] public string? Sector { get; set; }
    [BindProperty(SupportsGet = true, Name = "bes")] public ObjectivesV1.BesDimension Bes { get; set; }
    [BindProperty(SupportsGet = true, Name = "finanziamento")] public string? Funding { get; set; }
    [BindProperty(SupportsGet = true, Name = "trasversale")] public bool CrossCutting { get; set; }
    [BindProperty(SupportsGet = true, Name = "nonvalutati")] public bool NotAssessed { get; set; }

    public IReadOnlyList<ObjectivesV1.OperationalObjective> Items { get; private set; } = [];
    public ScoringV1.Breakdown? BySector { get; private set; }
    public ScoringV1.Breakdown? ByBes { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var request = new ObjectivesV1.ListOperationalObjectivesRequest
        {
            Year = Year, Text = Text ?? "", Sector = Sector ?? "", BesDimension = Bes, Funding = Funding ?? "", NotAssessed = NotAssessed,
        };
        if (CrossCutting) request.CrossCutting = true;
        var items = objectives.ListOperationalObjectivesAsync(request, cancellationToken: ct);
        var sector = scoring.GetBreakdownAsync(new ScoringV1.GetBreakdownRequest { Year = Year, Kind = ScoringV1.BreakdownKind.Sector }, cancellationToken: ct);
        var bes = scoring.GetBreakdownAsync(new ScoringV1.GetBreakdownRequest { Year = Year, Kind = ScoringV1.BreakdownKind.BesDimension }, cancellationToken: ct);
        Items = (await items).Items;
        BySector = await sector;
        ByBes = await bes;
    }

    public static string ChartData(ScoringV1.Breakdown b) => System.Text.Json.JsonSerializer.Serialize(new
    {
        labels = b.Rows.Select(r => r.Key),
        computed = b.Rows.Select(r => r.Mean is { HasValue: true } m ? m.Value : (double?)null),
    });
}
