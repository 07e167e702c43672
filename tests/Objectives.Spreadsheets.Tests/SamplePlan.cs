using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Spreadsheets.Tests;

/// <summary>A plan that uses every part of the layout: the cases a round trip could lose.</summary>
internal static class SamplePlan
{
    public static PlanDocument Lecce2023 { get; } = new(
        "Città di Lecce", 2019, 2024, 2023,
        [
            new AreaDraft(1, "Governance, partecipazione; \"città aperta\"", null, Realization.Of(99.52m),
            [
                new StrategicObjectiveDraft("1.1", "Rafforzare la trasparenza", Realization.Of(100m),
                [
                    Operational("OB. TRASV. Aggiornamento della sezione Amministrazione Trasparente",
                        1m, Realization.Of(100m), ["Tutti i settori"]),
                ]),
                new StrategicObjectiveDraft("1.13", "Semplificare l'accesso ai servizi comunali", Realization.Of(96.67m),
                [
                    Operational("Benessere Istituzionale: attivazione PagoPA per i diritti di segreteria relativi alle pratiche SUAP",
                        2.5m, Realization.Of(96.67m), ["SUAP", "Servizi finanziari"],
                        new IndicatorDraft("Pratiche pagate con PagoPA", 0m, 100m, 96.67m, "%", IndicatorDirection.Increase),
                        new IndicatorDraft("Tempo medio di rilascio", 30m, 15m, 12.5m, "giorni", IndicatorDirection.Decrease),
                        new IndicatorDraft("Sportelli aperti", null, 1234567.891m, null, null, IndicatorDirection.Target)),
                    Operational("Benessere Istituzionale e Sociale: sportello unico digitale (obiettivo intersettoriale con Servizi Demografici)",
                        0.75m, Realization.Of(93.34m), []),
                ]),
            ]),
            new AreaDraft(4, "Turismo", null, null,
            [
                new StrategicObjectiveDraft("4.3", "Valorizzare il patrimonio culturale", null,
                [
                    Operational("Benessere Economico: PNRR MIC3. Turismo e cultura, CIS Brindisi-Lecce", 1m, null, ["Cultura"]),
                ]),
                new StrategicObjectiveDraft("4.4", "Obiettivo senza operativi", null, []),
            ]),
            new AreaDraft(9, "Commercio*", "* Obiettivi raggiunti in parte negli anni precedenti;\nnon valutati nel 2023.",
                Realization.NotAssessed,
            [
                new StrategicObjectiveDraft("9.2", "Sostenere il commercio di prossimità", Realization.NotAssessed,
                [
                    Operational("Benessere Ambientale. PNRR M2C4 I2.1 mercati rionali", 1m, Realization.NotAssessed, []),
                ]),
            ]),
        ],
        Realization.Of(99.39m));

    private static OperationalObjectiveDraft Operational(
        string title, decimal weight, Realization? realization, string[] sectors, params IndicatorDraft[] indicators) =>
        OperationalObjectiveDraft.FromText(title) with
        {
            Weight = weight,
            Realization = realization,
            Sectors = sectors,
            Indicators = indicators,
        };
}
