using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using GrpcStatus = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.Pages;

/// <summary>Every year held side by side: the entity level and each area's mean, computed beside declared, as a table and a trend chart.</summary>
public sealed class AnniModel(ObjectivesV1.Objectives.ObjectivesClient objectives, ScoringV1.Scoring.ScoringClient scoring) : PageModel
{
    /// <summary>Each year held with its current scorecard (null: Scoring holds no figures for it yet).</summary>
    public IReadOnlyList<(int Year, ScoringV1.Scorecard? Card)> Years { get; private set; } = [];

    /// <summary>Every area number met in any year, with the name of its latest year.</summary>
    public IReadOnlyList<(int Number, string Name)> Areas { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var years = (await objectives.ListYearsAsync(new ObjectivesV1.ListYearsRequest(), cancellationToken: ct)).Years.Select(y => y.Year).Order().ToList();
        // One scorecard per year, asked together; a year Scoring does not hold yet is shown as such, not as an error.
        var cards = await Task.WhenAll(years.Select(async year =>
        {
            try { return await scoring.GetScorecardAsync(new ScoringV1.GetScorecardRequest { Year = year, View = ScoringV1.ScorecardView.Basic }, cancellationToken: ct); }
            catch (RpcException e) when (e.StatusCode == GrpcStatus.NotFound) { return null; }
        }));
        Years = years.Zip(cards, (y, c) => (y, c)).ToList();
        Areas = Years.Where(y => y.Card is not null).SelectMany(y => y.Card!.Areas.Select(a => (y.Year, a.Number, a.Name)))
            .GroupBy(a => a.Number).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.OrderByDescending(a => a.Year).First().Name)).ToList();
    }

    public static ScoringV1.AreaScore? Area(ScoringV1.Scorecard? card, int number) => card?.Areas.FirstOrDefault(a => a.Number == number);

    public static string Figure(ScoringV1.Score? score) => Explanations.DiscrepancyText.Figure(score);

    private static double? Value(ScoringV1.Score? score) => score is { HasValue: true } ? score.Value : null;

    /// <summary>The chart's data, for the page's JSON block: one series for the entity (computed and declared) and one per area.</summary>
    public string ChartJson(string entityComputed, string entityDeclared, string areaLabel) => JsonSerializer.Serialize(new
    {
        years = Years.Select(y => y.Year.ToString(CultureInfo.InvariantCulture)),
        series = new[]
            {
                new { label = entityComputed, kind = "entity", values = Years.Select(y => Value(y.Card?.EntityLevel)).ToArray() },
                new { label = entityDeclared, kind = "declared", values = Years.Select(y => y.Card is { HasDeclaredEntityLevel: true } c ? Value(c.DeclaredEntityLevel) : null).ToArray() },
            }
            .Concat(Areas.Select(a => new
            {
                label = string.Format(CultureInfo.CurrentCulture, areaLabel, a.Number, a.Name), kind = "area",
                values = Years.Select(y => Value(Area(y.Card, a.Number)?.Computed)).ToArray(),
            })),
    });
}
