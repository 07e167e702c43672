using static PerfPlatform.Scoring.Domain.Tests.Build;

namespace PerfPlatform.Scoring.Domain.Tests;

public class BreakdownTests
{
    private static YearScorecard Plan()
    {
        var card = new YearScorecard(2024);
        card.Upsert(
            // Scored from its operational objectives: the unassessed one stays unassessed.
            Branch("1.1", 1, own: 10m, ops:
            [
                Op(100m, dimensions: ["Istituzionale", "Sociale"], sectors: ["Tributi"]),
                Op(50m, dimensions: ["Sociale"]),
                Op(null, sectors: ["Tributi"]),
            ]),
            // Scored from its own value (as an imported report): its operational objectives count with 80.
            Branch("2.1", 2, own: 80m, ops:
            [
                Op(null, dimensions: ["Ambientale"], sectors: ["Ambiente", "Tributi"]),
                Op(null),
            ]),
            // Not assessed at all.
            Branch("2.2", 2, ops: [Op(null, dimensions: ["Economico"])]));
        return card;
    }

    [Fact]
    public void By_BES_dimension()
    {
        var breakdown = Plan().ByBesDimension();
        Assert.Equal(
            [
                new BreakdownRow("Ambientale", 1, 1, 80m),
                new BreakdownRow("Economico", 1, 0, null),
                new BreakdownRow("Istituzionale", 1, 1, 100m),
                new BreakdownRow("Sociale", 2, 2, 75m),
                new BreakdownRow("Nessuna", 2, 1, 80m),
            ],
            breakdown.Rows);
    }

    [Fact]
    public void By_responsible_sector()
    {
        var breakdown = Plan().ByResponsibleSector();
        Assert.Equal(
            [
                new BreakdownRow("Ambiente", 1, 1, 80m),
                new BreakdownRow("Tributi", 3, 2, 90m),
                new BreakdownRow("Non assegnato", 3, 2, 65m),
            ],
            breakdown.Rows);
    }

    [Fact]
    public void Labels_group_regardless_of_case_and_count_once_per_objective()
    {
        var card = new YearScorecard(2024);
        card.Upsert(Branch("1.1", 1, ops:
        [
            Op(90m, dimensions: ["Sociale", "sociale "]),
            Op(70m, dimensions: ["SOCIALE"]),
            Op(60m, dimensions: [" "]),
        ]));
        Assert.Equal(
            [new BreakdownRow("Sociale", 2, 2, 80m), new BreakdownRow("Nessuna", 1, 1, 60m)],
            card.ByBesDimension().Rows);
    }

    [Fact]
    public void Breakdowns_follow_changes()
    {
        var card = Plan();
        card.Upsert(Branch("2.1", 2, version: 2, own: 80m, ops: [Op(40m, dimensions: ["Ambientale"])]));
        Assert.Equal(new BreakdownRow("Ambientale", 1, 1, 40m), card.ByBesDimension().Rows[0]);
        card.Remove(3, "2.1");
        Assert.DoesNotContain(card.ByBesDimension().Rows, r => r.Key == "Ambientale");
    }
}
