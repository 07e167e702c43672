using System.Net;
using System.Text.RegularExpressions;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Tests;

/// <summary>The real 2023 Relazione of Lecce, counted by hand from shared/data/lecce-2023-relazione-performance.txt.</summary>
public class RelazioneRealFileTests
{
    private static PlanDocument Plan => Relazione2023.Plan;

    [Fact]
    public void Reads_the_headings()
    {
        Assert.Equal("Città di Lecce", Plan.EntityName);
        Assert.Equal(2019, Plan.MandateStartYear);
        Assert.Equal(2024, Plan.MandateEndYear);
        Assert.Equal(2023, Plan.Year);
        Assert.Equal(99.39m, Plan.DeclaredEntityLevel!.Value.Value);
    }

    [Fact]
    public void Reads_ten_named_areas()
    {
        Assert.Equal(Enumerable.Range(1, 10), Plan.Areas.Select(a => a.Number));
        Assert.Equal(
        [
            "Cittadinanza Attiva Innovazione e semplificazione amministrativa Società Partecipate e Bilancio",
            "Pratiche, spazi e gestioni culturali",
            "Politiche dello Sport",
            "Turismo",
            "Trasformazioni e innovazioni urbane",
            "Salute Pubblica",
            "Mobilità sostenibile",
            "Periferie Sociali",
            "Commercio",
            "Vocazioni e visioni della Città",
        ], Plan.Areas.Select(a => a.Name));
    }

    [Fact]
    public void The_footnote_belongs_to_Commercio_only()
    {
        Assert.Equal("obiettivi in parte raggiunti negli anni precedenti.", Plan.Area(9).Footnote);
        Assert.All(Plan.Areas.Where(a => a.Number != 9), a => Assert.Null(a.Footnote));
    }

    [Fact]
    public void Reads_the_area_means_as_declared()
    {
        Assert.Equal(99.52m, Plan.Area(1).DeclaredMean!.Value.Value);
        Assert.Equal(95.00m, Plan.Area(10).DeclaredMean!.Value.Value);
        Assert.Null(Plan.Area(9).DeclaredMean); // area 9's MEDIA row has no value
        Assert.All(Plan.Areas.Where(a => a.Number is >= 2 and <= 8), a => Assert.Equal(100m, a.DeclaredMean!.Value.Value));
    }

    [Fact]
    public void Reads_55_strategic_objectives_in_document_order()
    {
        var codes = Plan.Areas.SelectMany(a => a.StrategicObjectives).Select(s => s.Code).ToList();
        Assert.Equal(55, codes.Count);
        Assert.Equal(
            "1.1 1.10 1.11 1.12 1.13 1.14 1.15 1.16 2.2 2.3 2.5 2.7 2.8 2.9 3.3 3.5 4.1 4.3 4.5 4.7 4.8 " +
            "5.1 5.6 5.8 5.10 6.1 6.4 6.5 6.6 6.7 6.8 6.11 6.12 7.1 7.2 7.5 7.6 7.7 " +
            "8.1 8.3 8.4 8.5 8.6 8.7 8.8 8.9 8.10 9.1 9.2 9.3 9.4 9.5 9.6 10.1 10.2",
            string.Join(" ", codes));
        Assert.Equal([8, 6, 2, 5, 4, 8, 5, 9, 6, 2], Plan.Areas.Select(a => a.StrategicObjectives.Count));
    }

    [Fact]
    public void Reads_the_declared_percentages()
    {
        Assert.Equal(96.67m, Plan.Strategic("1.13").DeclaredRealization!.Value.Value);
        Assert.Equal(90m, Plan.Strategic("10.1").DeclaredRealization!.Value.Value);
        Assert.Equal(100m, Plan.Strategic("10.2").DeclaredRealization!.Value.Value);
        Assert.Equal(100m, Plan.Strategic("5.6").DeclaredRealization!.Value.Value); // % one column further right
        Assert.All(Plan.Area(9).StrategicObjectives, s => Assert.Equal(Realization.NotAssessed, s.DeclaredRealization));
        var others = Plan.Areas.SelectMany(a => a.StrategicObjectives)
            .Where(s => s.Code is not ("1.13" or "10.1") && !s.Code.StartsWith("9."));
        Assert.All(others, s => Assert.Equal(100m, s.DeclaredRealization!.Value.Value));
    }

    [Fact]
    public void Reads_134_operational_objectives_counted_by_hand()
    {
        // Area by area: 1.1 3, 1.10 1, 1.11 1, 1.12 7, 1.13 9, 1.14 8, 1.15 13, 1.16 3 = 45; area 2: 4+1+2+1+1+1 = 10;
        // area 3: 2+1; area 4: 2+2+1+1+1 = 7; area 5: 5+3+2+2 = 12; area 6: 1+1+1+1+2+1+14+3 = 24;
        // area 7: 1+1+1+2+1 = 6; area 8: 2+2+1+1+2+6+1+1+2 = 18; area 9: none; area 10: 7+2 = 9.
        Assert.Equal([45, 10, 3, 7, 12, 24, 6, 18, 0, 9],
            Plan.Areas.Select(a => a.StrategicObjectives.Sum(s => s.OperationalObjectives.Count)));
        Assert.Equal(134, Plan.AllOperational().Count());
    }

    [Theory]
    [InlineData("1.1", 3)]
    [InlineData("1.12", 7)]
    [InlineData("1.13", 9)]
    [InlineData("1.14", 8)]
    [InlineData("1.15", 13)]
    [InlineData("2.2", 4)]
    [InlineData("5.1", 5)]
    [InlineData("5.6", 3)]
    [InlineData("5.10", 2)]
    [InlineData("6.11", 14)]
    [InlineData("6.12", 3)]
    [InlineData("8.1", 2)]
    [InlineData("8.3", 2)]
    [InlineData("8.7", 6)]
    [InlineData("10.1", 7)]
    [InlineData("10.2", 2)]
    [InlineData("9.2", 0)]
    public void Counts_the_operational_objectives_of(string code, int count) =>
        Assert.Equal(count, Plan.Strategic(code).OperationalObjectives.Count);

    [Fact]
    public void Operational_objectives_of_the_report_weigh_1_and_have_no_value_of_their_own()
    {
        Assert.All(Plan.AllOperational(), o =>
        {
            Assert.Equal(1m, o.Weight);
            Assert.Null(o.Realization);
            Assert.Empty(o.Sectors);
            Assert.Empty(o.Indicators);
        });
    }

    [Fact]
    public void Splits_objectives_run_together_in_one_cell_before_each_label()
    {
        Assert.Equal(
        [
            "Benessere Sociale: Programma Innovativo Nazionale per la Qualità dell'Abitare (Pinqua) di cui all'art. 1 c. 437 della Legge 27 Dicembre 2019, n. 160",
            "Benessere sociale: interventi per famiglie e minori e l'inclusione sociale",
        ], Titles("8.1"));
        Assert.Equal(
        [
            "Benessere Sociale: Politiche abitative",
            "Benessere Istituzionale: Settore 08. Efficiente gestione del patrimonio immobiliare comunale assegnato ai settori (D.G.C. n. 132/2021 e successivi aggiornamenti)",
        ], Titles("8.3"));
        Assert.Equal(
        [
            "Benessere Istituzionale: Gestione delle componenti applicative e tecnologiche del sistema informativo comunale",
            "Benessere Istituzionale e Ambientale: Migrazione al cloud dei servizi digitali dell'amministrazione",
        ], Titles("10.2"));
    }

    [Fact]
    public void Does_not_split_inside_benessere_equo_e_sostenibile()
    {
        var titles = Titles("6.11");
        Assert.Contains("Benessere Ambientale: Tutela e miglioramento dell’eco sistema dunale e miglioramento del benessere equo e sostenibile- Spiaggiabella", titles);
        Assert.Contains("Benessere Ambientale: Piano provinciale per l’ambiente per contribuire al benessere equo e sostenibile del territorio.", titles);
    }

    [Fact]
    public void Splits_paragraphs_into_objectives()
    {
        var titles = Titles("1.12");
        Assert.Equal("Benessere Istituzionale e Sociale: Migliorare la trasparenza amministrativa e il diritto di cittadini e imprese di accedere agli atti e di ricevere una risposta in tempi certi", titles[0]);
        Assert.Equal("Benessere Istituzionale: OB. TRASV. - Aggiornamento sito web istituzionale della sezione di competenza del settore", titles[1]);
        Assert.Equal("Benessere Istituzionale e sociale derivanti dall'incremento dei punti di erogazione dei servizi anagrafici.", titles[4]);
        Assert.Equal("Benessere Istituzionale: Adesione a piattaforma notifiche digitali PA Nazionale. Obiettivo PNRR", titles[6]);
        Assert.Equal("Gestione Economica Contributiva e Previdenziale del Personale di Ruolo e non di Ruolo Amministratori Comunali.", Titles("1.15")[4]);
    }

    [Fact]
    public void Follows_objectives_into_whatever_column_they_landed()
    {
        var sixEleven = Titles("6.11");
        Assert.Equal("Benessere Ambientale: Bilancio energetico Comunale", sixEleven[0]); // on the code row
        Assert.Equal("Benessere Ambientale e sociale: Transizione verde del PNRR. Intervento: potenziamento rete di raccolta differenziata e impianti di trattamento/riciclo", sixEleven[1]); // column 2
        Assert.Equal("Benessere Ambientale: Attività di previsione, prevenzione, gestione emergenze e promozione delle buone pratiche di protezione civile", sixEleven[6]); // column 1
        Assert.Equal("Benessere Ambientale: Coordinamento Gruppo di Lavoro interforze per la quantificazione dei danni subiti a causa dell’incendio occorso a San Cataldo", sixEleven[^1]);

        Assert.Equal(
        [
            "Benessere Sociale: Regolamento dei beni comuni per la definizione di forme di collaborazione tra amministrazione e cittadini nella loro cura, manutenzione e animazione",
            "Benessere Istituzionale: Piano delle Alienazioni e Valorizzazioni Immobiliari",
        ], Titles("5.10"));
        Assert.Equal(
        [
            "Benessere Ambientale: Partecipazione al gruppo di lavoro sulla lotta all’abbandono dei rifiuti per i profili attinenti alla lotta all’evasione",
            "Benessere ambientale: lotta all’abbandono dei rifiuti: Monitoraggio gestione dei rifiuti (obiettivo intersettoriale con Polizia Locale e Tributi)",
            "Benessere Ambientale: Potenziamento delle politiche per la Sicurezza Ambientale e per la salvaguardia del territorio",
        ], Titles("6.12"));
        Assert.Equal("Benessere Sociale: Ambito Territoriale Sociale di Lecce - Governance e gestione servizi ed interventi a gestione associata obbligatoria: Prevenire e contrastare le forme di maltrattamento e violenza sulle donne e minori", Titles("8.7")[^1]);
        Assert.Equal("Benessere Istituzionale e Ambientale: Coordinamento per la fase attuativa e semplificazione dei programmi e progetti del CIS", Titles("10.1")[^1]);
    }

    [Fact]
    public void Joins_a_title_broken_across_pages()
    {
        Assert.Equal(
            "Sostenere e favorire la diversificazione e la diffusione del piccolo commercio e dell'artigianato locale attraverso strumenti di pianificazione e interventi urbanistici di rigenerazione delle aree commerciali cittadine;",
            Plan.Strategic("9.2").Title);
    }

    [Fact]
    public void Turns_html_titles_into_clean_text_keeping_list_items()
    {
        Assert.Equal(
            "Contratto Istituzionale di Sviluppo per Lecce e Brindisi - definizione degli interventi secondo le seguenti tre aree tematiche: - Lecce - Patrimonio di storia; - Lecce è il suo mare; - Lecce - Città di tutti.",
            Plan.Strategic("10.1").Title);
        var fiveOne = Plan.Strategic("5.1").Title;
        Assert.StartsWith("Completamento dell'iter procedimentale per la redazione e approvazione del Piano Urbanistico Generale attraverso la definizione delle seguenti direttrici: - Una città più accessibile, ridisegnando", fiveOne);
        Assert.Contains("ripensando la mobilità cittadina; - Una Città storica come patrimonio di tutti i leccesi", fiveOne);
        Assert.EndsWith("- Una città più bella, stimolando l'innalzamento della qualità dell'architettura e del paesaggio anche mediante l'approvazione del nuovo regolamento edilizio.", fiveOne);
        Assert.Equal("Approvazione Regolamento dei beni immobili comunali", Plan.Strategic("5.10").Title);
        Assert.DoesNotContain(Plan.Areas.SelectMany(a => a.StrategicObjectives), s => s.Title.Contains('<') || s.Title.Contains('>'));
        Assert.DoesNotContain(Plan.AllOperational(), o => o.Title.Contains('<') || o.Title.Contains('>'));
    }

    [Fact]
    public void Reads_the_labels()
    {
        Assert.Equal(BesDimension.Istituzionale | BesDimension.Sociale, Plan.Strategic("1.12").OperationalObjectives[0].Labels.Bes);
        Assert.Equal(BesDimension.Istituzionale | BesDimension.Sociale, Plan.Strategic("1.12").OperationalObjectives[4].Labels.Bes);
        Assert.Equal(BesDimension.Istituzionale | BesDimension.Sociale | BesDimension.Economico | BesDimension.Ambientale,
            Plan.Strategic("5.6").OperationalObjectives[0].Labels.Bes);
        Assert.Equal(BesDimension.Sociale | BesDimension.Economico, Plan.Strategic("4.7").OperationalObjectives[0].Labels.Bes);
        Assert.Equal(BesDimension.Ambientale, Plan.Strategic("5.6").OperationalObjectives[1].Labels.Bes); // "Benessere Ambientale. PNRR ..."
        Assert.Equal(BesDimension.None, Plan.Strategic("8.4").OperationalObjectives[0].Labels.Bes);

        Assert.False(Plan.Strategic("1.12").OperationalObjectives[0].Labels.CrossCutting);
        Assert.True(Plan.Strategic("1.12").OperationalObjectives[1].Labels.CrossCutting);
        Assert.Equal(5, Plan.AllOperational().Count(o => o.Labels.CrossCutting)); // 1.12 twice, 1.14 once, 1.15 twice

        Assert.Equal("il settore ambiente", Plan.Strategic("6.4").OperationalObjectives[0].Labels.InterSectorNote);
        Assert.Equal("Polizia Locale e Tributi", Plan.Strategic("6.12").OperationalObjectives[1].Labels.InterSectorNote);
        Assert.Equal(2, Plan.AllOperational().Count(o => o.Labels.InterSectorNote is not null));

        Assert.Equal(["PNRR M5C2"], Plan.Strategic("5.1").OperationalObjectives[2].Labels.FundingReferences);
        Assert.Equal(["PNRR M2C4 I2.1"], Plan.Strategic("5.6").OperationalObjectives[1].Labels.FundingReferences);
        Assert.Equal(["PNRR M4C1", "PNRR M4C2"], Plan.Strategic("6.11").OperationalObjectives[5].Labels.FundingReferences);
        Assert.Equal(["CIS"], Plan.Strategic("10.1").OperationalObjectives[0].Labels.FundingReferences);
        Assert.All(Plan.Strategic("10.1").OperationalObjectives.Take(4), o => Assert.Equal(["CIS"], o.Labels.FundingReferences));
        Assert.Equal(["PNRR", "CIS"], Plan.Strategic("1.15").OperationalObjectives[^1].Labels.FundingReferences);
    }

    [Fact]
    public void Warns_about_what_a_person_should_check()
    {
        var warnings = Relazione2023.Outcome.Warnings;
        Assert.Equal([24, 29, 106, 124, 129], warnings.Select(w => w.Line));
        Assert.Contains("1.10 has no BES label", warnings[0].Message);
        Assert.Contains("1.15 has no BES label", warnings[1].Message);
        Assert.Contains("8.4 has no BES label", warnings[2].Message);
        Assert.Contains("end of the title of 9.2", warnings[3].Message);
        Assert.Contains("MEDIA row of area 9 has no value", warnings[4].Message);
    }

    [Fact]
    public void Keeps_every_word_of_the_table()
    {
        var kept = Words(string.Join(" ",
            Plan.Areas.Select(a => $"{a.Number} {a.Name} {a.Footnote}")
                .Concat(Plan.Areas.SelectMany(a => a.StrategicObjectives).Select(s => $"{s.Code} {s.DeclaredRealization}"))
                .Concat(Plan.Areas.SelectMany(a => a.StrategicObjectives).Select(s => s.Title))
                .Concat(Plan.AllOperational().Select(o => o.Title))))
            .ToHashSet();
        var lines = Relazione2023.Lines();
        var header = Relazione2023.LineOf("OBIETTIVI STRATEGICI 2019-2024");
        var body = lines.Skip(header) // the rows after the column titles
            .Where(line => !line.Contains("MEDIA") && !line.Contains("LIVELLO MEDIO GENERALE"));

        var missing = body.SelectMany(line => Words(WebUtility.HtmlDecode(Regex.Replace(line, "<[^>]*>", " "))))
            .Where(word => !kept.Contains(word))
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, "not kept: " + string.Join(", ", missing));
    }

    private static List<string> Titles(string code) =>
        Plan.Strategic(code).OperationalObjectives.Select(o => o.Title).ToList();

    private static IEnumerable<string> Words(string text) =>
        Regex.Matches(text, @"[\p{L}\p{N}]+").Select(m => m.Value);
}
