using System.Text.Json;
using PerfPlatform.Reporting.Domain;

namespace PerfPlatform.Reporting.Rendering;

/// <summary>
/// The annex as open data (valid against docs/reporting-open-data.schema.json) and its metadata record, a JSON-LD
/// dataset description in the DCAT-AP_IT vocabulary that Italian open-data catalogues (dati.gov.it) harvest.
/// </summary>
public static class JsonReport
{
    public const string Licence = "https://creativecommons.org/licenses/by/4.0/";
    private static readonly JsonWriterOptions Options = new() { Indented = true };
    private const int FlushAt = 32 * 1024;

    public static byte[] Render(AnnexLayout layout)
    {
        using var buffer = new MemoryStream(16 * 1024 + layout.Areas.Sum(a => a.OperationalCount) * 600);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("ente", layout.EntityName);
            w.WriteNumber("anno", layout.Year);
            w.WriteString("mandato", layout.Mandate);
            w.WriteNumber("versionePiano", layout.PlanVersion);
            w.WriteNumber("versionePunteggi", layout.ScoreVersion);
            w.WriteString("aggiornatoIl", layout.GeneratedAt.ToUniversalTime());
            w.WriteString("licenza", Licence);
            w.WritePropertyName("livelloEnte");
            Pair(w, layout.EntityLevel.Declared, layout.EntityLevel.Computed);
            w.WriteStartArray("aree");
            foreach (var area in layout.Areas)
            {
                w.WriteStartObject();
                w.WriteNumber("numero", area.Number);
                w.WriteString("nome", area.Name);
                var note = layout.Footnotes.FirstOrDefault(f => f.Marker == area.FootnoteMarker && area.FootnoteMarker.Length > 0);
                if (note is not null) w.WriteString("nota", note.Text); else w.WriteNull("nota");
                w.WritePropertyName("media");
                Pair(w, area.Mean.Declared, area.Mean.Computed);
                w.WriteStartArray("obiettiviStrategici");
                foreach (var s in area.StrategicObjectives)
                {
                    w.WriteStartObject();
                    w.WriteString("codice", s.Code);
                    w.WriteString("titolo", s.Title);
                    w.WritePropertyName("realizzazione");
                    Pair(w, s.Declared, s.Computed);
                    w.WriteStartArray("obiettiviOperativi");
                    foreach (var o in s.OperationalObjectives)
                    {
                        w.WriteStartObject();
                        w.WriteString("id", o.Id);
                        w.WriteString("titolo", o.Title);
                        Strings(w, "dimensioniBes", o.BesDimensions);
                        w.WriteBoolean("trasversale", o.CrossCutting);
                        w.WriteString("intersettoriale", o.InterSectorNote);
                        Strings(w, "finanziamenti", o.FundingReferences);
                        Strings(w, "settori", o.SectorNames);
                        Figure(w, "realizzazione", o.Realization);
                        w.WriteBoolean("nonValutato", o.Realization.NotAssessed);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                    // Into the stream as it goes: unflushed, the writer would hold (and regrow) the whole document itself.
                    if (w.BytesPending > FlushAt) w.Flush();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("discrepanze");
            foreach (var c in layout.Consistency)
            {
                w.WriteStartObject();
                w.WriteString("livello", c.Level switch
                {
                    FigureLevel.Entity => "ente", FigureLevel.Area => "area", FigureLevel.StrategicObjective => "obiettivo strategico",
                    _ => "obiettivo operativo",
                });
                w.WriteString("chiave", c.Key);
                w.WriteString("voce", c.Label);
                Number(w, "dichiarato", c.Declared);
                Number(w, "calcolato", c.Computed);
                Number(w, "differenza", c.Difference);
                w.WriteStartArray("spiegazione");
                foreach (var line in c.Explanation) w.WriteStringValue(line);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Breakdown(w, "perSettore", layout.BySector);
            Breakdown(w, "perDimensioneBes", layout.ByBesDimension);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The dataset record: title, publisher, licence CC-BY 4.0, modified, and one distribution per format.</summary>
    public static byte[] Metadata(AnnexLayout layout)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteStartObject("@context");
            w.WriteString("dcat", "http://www.w3.org/ns/dcat#");
            w.WriteString("dct", "http://purl.org/dc/terms/");
            w.WriteString("foaf", "http://xmlns.com/foaf/0.1/");
            w.WriteString("dcatapit", "http://dati.gov.it/onto/dcatapit#");
            w.WriteString("owl", "http://www.w3.org/2002/07/owl#");
            w.WriteEndObject();
            w.WriteString("@type", "dcatapit:Dataset");
            w.WriteString("dct:identifier", $"relazione-performance-{layout.Year}");
            w.WriteString("dct:title", $"{layout.Title} - {layout.EntityName}");
            w.WriteString("dct:description",
                $"{layout.Subtitle}: percentuali di realizzazione degli obiettivi, medie per area dichiarate e calcolate, livello di ente.");
            w.WriteStartObject("dct:publisher");
            w.WriteString("@type", "dcatapit:Agent");
            w.WriteString("foaf:name", layout.EntityName);
            w.WriteEndObject();
            w.WriteStartObject("dct:rightsHolder");
            w.WriteString("@type", "dcatapit:Agent");
            w.WriteString("foaf:name", layout.EntityName);
            w.WriteEndObject();
            w.WriteStartObject("dct:license");
            w.WriteString("@id", Licence);
            w.WriteString("dct:title", "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)");
            w.WriteEndObject();
            w.WriteString("dct:modified", layout.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
            w.WriteString("dct:language", "http://publications.europa.eu/resource/authority/language/ITA");
            w.WriteString("dcat:theme", "http://publications.europa.eu/resource/authority/data-theme/GOVE");
            w.WriteStartObject("dct:temporal");
            w.WriteString("@type", "dct:PeriodOfTime");
            w.WriteString("dcat:startDate", $"{layout.Year}-01-01");
            w.WriteString("dcat:endDate", $"{layout.Year}-12-31");
            w.WriteEndObject();
            w.WriteString("owl:versionInfo", layout.Versions);
            w.WriteStartArray("dcat:keyword");
            foreach (var k in new[] { "performance", "relazione sulla performance", "obiettivi strategici", "amministrazione trasparente" })
                w.WriteStringValue(k);
            w.WriteEndArray();
            w.WriteStartArray("dcat:distribution");
            foreach (var format in new[] { ReportFormat.Json, ReportFormat.Csv, ReportFormat.Xlsx, ReportFormat.Pdf, ReportFormat.Html })
            {
                w.WriteStartObject();
                w.WriteString("@type", "dcatapit:Distribution");
                w.WriteString("dct:title", ReportKinds.FileName(format, layout.Year));
                w.WriteString("dct:format", $"http://publications.europa.eu/resource/authority/file-type/{format.ToString().ToUpperInvariant()}");
                w.WriteString("dcat:mediaType", ReportKinds.ContentType(format).Split(';')[0]);
                w.WriteString("dcat:accessURL", ReportKinds.FileName(format, layout.Year));
                w.WriteString("dct:license", Licence);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void Pair(Utf8JsonWriter w, Figure declared, Figure computed)
    {
        w.WriteStartObject();
        Figure(w, "dichiarata", declared);
        Figure(w, "calcolata", computed);
        w.WriteEndObject();
    }

    /// <summary>A percentage with two decimals, or null (not assessed, or none given).</summary>
    private static void Figure(Utf8JsonWriter w, string name, Figure f) => Number(w, name, f.Value);

    private static void Number(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v) w.WriteNumber(name, Italian.Round(v));
        else w.WriteNull(name);
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    private static void Breakdown(Utf8JsonWriter w, string name, IReadOnlyList<BreakdownItem> rows)
    {
        w.WriteStartArray(name);
        foreach (var r in rows)
        {
            w.WriteStartObject();
            w.WriteString("chiave", r.Key);
            w.WriteNumber("obiettiviOperativi", r.OperationalObjectives);
            w.WriteNumber("valutati", r.Assessed);
            Number(w, "media", r.Mean);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
