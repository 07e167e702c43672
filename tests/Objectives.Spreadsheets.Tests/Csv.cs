using System.Text;
using PerfPlatform.Objectives.Domain.Import;

namespace PerfPlatform.Objectives.Spreadsheets.Tests;

/// <summary>CSV files for the tests, written row by row in the layout's column order.</summary>
internal static class Csv
{
    public const string Header = "tipo;anno;mandato;area;codice;titolo;nota;peso;valore;dichiarato;settori;baseline;target;effettivo;unità;direzione";

    public static string Row(string tipo, string anno = "", string mandato = "", string area = "", string codice = "",
        string titolo = "", string nota = "", string peso = "", string valore = "", string dichiarato = "", string settori = "",
        string baseline = "", string target = "", string effettivo = "", string unita = "", string direzione = "") =>
        string.Join(";", tipo, anno, mandato, area, codice, titolo, nota, peso, valore, dichiarato, settori,
            baseline, target, effettivo, unita, direzione);

    /// <summary>Lines 1-4: header, ENTE, AREA 1, OS 1.1; whatever follows starts on line 5.</summary>
    public static string[] Start { get; } =
    [
        Header,
        Row("ENTE", anno: "2023", mandato: "2019-2024", titolo: "Città di Lecce"),
        Row("AREA", area: "1", titolo: "Governance"),
        Row("OS", area: "1", codice: "1.1", titolo: "Trasparenza"),
    ];

    public static string File(params string[] lines) => string.Join("\r\n", lines) + "\r\n";

    public static ImportOutcome Import(string text) => PlanSpreadsheet.ImportCsv(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    public static IReadOnlyList<ImportProblem> Errors(string text) =>
        Assert.Throws<PlanImportException>(() => Import(text)).Errors;
}
