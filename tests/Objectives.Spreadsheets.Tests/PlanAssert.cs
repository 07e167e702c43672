using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Spreadsheets.Tests;

/// <summary>
/// Equality of whole plans. The records compare their lists by reference, so each level is compared
/// bare (its lists replaced by one shared empty array), then its lists item by item.
/// </summary>
internal static class PlanAssert
{
    public static void Equal(PlanDocument expected, PlanDocument actual)
    {
        Assert.Equal(Bare(expected), Bare(actual));
        Each(expected.Areas, actual.Areas, (e, a) =>
        {
            Assert.Equal(Bare(e), Bare(a));
            Each(e.StrategicObjectives, a.StrategicObjectives, (es, @as) =>
            {
                Assert.Equal(Bare(es), Bare(@as));
                Each(es.OperationalObjectives, @as.OperationalObjectives, (eo, ao) =>
                {
                    Assert.Equal(Bare(eo), Bare(ao));
                    Assert.Equal(eo.Labels.FundingReferences, ao.Labels.FundingReferences);
                    Assert.Equal(eo.Sectors, ao.Sectors);
                    Assert.Equal(eo.Indicators, ao.Indicators);
                });
            });
        });
    }

    private static PlanDocument Bare(PlanDocument plan) => plan with { Areas = Array.Empty<AreaDraft>() };

    private static AreaDraft Bare(AreaDraft area) => area with { StrategicObjectives = Array.Empty<StrategicObjectiveDraft>() };

    private static StrategicObjectiveDraft Bare(StrategicObjectiveDraft objective) =>
        objective with { OperationalObjectives = Array.Empty<OperationalObjectiveDraft>() };

    private static OperationalObjectiveDraft Bare(OperationalObjectiveDraft objective) => objective with
    {
        Labels = objective.Labels with { FundingReferences = Array.Empty<string>() },
        Sectors = Array.Empty<string>(),
        Indicators = Array.Empty<IndicatorDraft>(),
    };

    private static void Each<T>(IReadOnlyList<T> expected, IReadOnlyList<T> actual, Action<T, T> equal)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            equal(expected[i], actual[i]);
    }
}
