using static PerfPlatform.Scoring.Domain.Tests.Build;

namespace PerfPlatform.Scoring.Domain.Tests;

/// <summary>
/// The 2023 Relazione sulla Performance of the Città di Lecce (annex 2), as printed: a % per strategic
/// objective (so OwnValue = DeclaredValue), each area's MEDIA and the entity level.
/// </summary>
internal static class Lecce2023
{
    public static readonly (int Number, string Name, decimal? DeclaredMean, string[] Codes)[] Areas =
    [
        (1, "Cittadinanza Attiva Innovazione e semplificazione amministrativa Società Partecipate e Bilancio", 99.52m,
            ["1.1", "1.10", "1.11", "1.12", "1.13", "1.14", "1.15", "1.16"]),
        (2, "Pratiche, spazi e gestioni culturali", 100.00m, ["2.2", "2.3", "2.5", "2.7", "2.8", "2.9"]),
        (3, "Politiche dello Sport", 100m, ["3.3", "3.5"]),
        (4, "Turismo", 100m, ["4.1", "4.3", "4.5", "4.7", "4.8"]),
        (5, "Trasformazioni e innovazioni urbane", 100m, ["5.1", "5.6", "5.8", "5.10"]),
        (6, "Salute Pubblica", 100m, ["6.1", "6.4", "6.5", "6.6", "6.7", "6.8", "6.11", "6.12"]),
        (7, "Mobilità sostenibile", 100m, ["7.1", "7.2", "7.5", "7.6", "7.7"]),
        (8, "Periferie Sociali", 100.00m, ["8.1", "8.3", "8.4", "8.5", "8.6", "8.7", "8.8", "8.9", "8.10"]),
        (9, "Commercio", null, ["9.1", "9.2", "9.3", "9.4", "9.5", "9.6"]),
        (10, "Vocazioni e visioni della Città", 95.00m, ["10.1", "10.2"]),
    ];

    public const decimal DeclaredEntityLevel = 99.39m;

    /// <summary>The printed %: 100 unless listed here; area 9 is all "/".</summary>
    public static decimal? Printed(string code) => code switch
    {
        "1.13" => 96.67m,
        "10.1" => 90m,
        _ when code.StartsWith("9.") => null,
        _ => 100m,
    };

    /// <summary>1.13's nine operational objectives with their BES labels; all without a value of their own.</summary>
    public static readonly OperationalObjectiveInput[] OperationalObjectivesOf113 =
    [
        Op(null, dimensions: ["Sociale", "Istituzionale"], title: "mantenimento e sviluppo dei servizi digitali dell'Ente"),
        Op(null, dimensions: ["Istituzionale"], title: "attivazione PagoPA per i diritti di segreteria relativi alle pratiche SUAP"),
        Op(null, dimensions: ["Sociale"], title: "Semplificare e ottimizzare l'accesso ai servizi afferenti la Pubblica Istruzione"),
        Op(null, dimensions: ["Istituzionale", "Sociale"], title: "Semplificazione e velocizzazione delle attività di anagrafe"),
        Op(null, dimensions: ["Istituzionale", "Sociale"], title: "Gestione contabile PagoPa."),
        Op(null, dimensions: ["Istituzionale", "Sociale"], title: "dematerializzazione di alcuni processi edilizi"),
        Op(null, dimensions: ["Istituzionale"], title: "migliorare la fruizione del servizio protocollo"),
        Op(null, dimensions: ["Istituzionale"], title: "aggiornamento e condivisione con Attività Produttive"),
        Op(null, dimensions: ["Istituzionale"], title: "condivisione con Attività Produttive delle informazioni"),
    ];

    public static IReadOnlyList<StrategicObjectiveBranch> Branches(long version = 1) =>
        Areas.SelectMany(area => area.Codes.Select(code => Branch(code, area.Number, version,
                own: Printed(code), declared: Printed(code),
                ops: code == "1.13" ? OperationalObjectivesOf113 : [])))
            .ToList();

    public static YearScorecard Load()
    {
        var card = new YearScorecard(2023);
        foreach (var area in Areas)
            card.SetArea(new AreaInfo(area.Number, area.Name, area.DeclaredMean));
        card.SetDeclaredEntityLevel(DeclaredEntityLevel);
        card.Apply(Branches(), [], 1);
        return card;
    }
}
