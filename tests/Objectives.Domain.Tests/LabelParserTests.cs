using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Tests;

/// <summary>The label rules (LabelParser), through their public face <see cref="OperationalObjectiveLabels.Parse"/>.</summary>
public class LabelParserTests
{
    private const BesDimension Ist = BesDimension.Istituzionale;
    private const BesDimension Soc = BesDimension.Sociale;
    private const BesDimension Eco = BesDimension.Economico;
    private const BesDimension Amb = BesDimension.Ambientale;

    [Theory]
    [InlineData("Benessere Istituzionale: attivazione PagoPA", Ist)]
    [InlineData("Benessere istituzionale: Transizione alla PA digitale", Ist)]
    [InlineData("BENESSERE SOCIALE: maiuscolo", Soc)]
    [InlineData("Benessere Istituzionale e Sociale: Gestione contabile PagoPa.", Ist | Soc)]
    [InlineData("Benessere Sociale ed Economico: Redazione del piano strategico", Soc | Eco)]
    [InlineData("Benessere economico, sociale, ambientale, istituzionale: Programmazione", Ist | Soc | Eco | Amb)]
    [InlineData("Benessere Ambientale e sociale: Transizione verde del PNRR.", Soc | Amb)]
    [InlineData("Benessere Ambientale. PNRR M2C4 I2.1: Mitigazione del rischio idrogeologico", Amb)]
    [InlineData("Benessere Istituzionale e sociale derivanti dall'incremento dei punti di erogazione", Ist | Soc)]
    [InlineData("  Benessere Economico: spazi iniziali", Eco)]
    public void Reads_the_bes_dimensions_of_a_leading_label(string text, BesDimension expected) =>
        Assert.Equal(expected, OperationalObjectiveLabels.Parse(text).Bes);

    [Theory]
    [InlineData("Nuovo asset societario SGM a seguito del termine fissato nel 2020")]
    [InlineData("benessere equo e sostenibile del territorio")]
    [InlineData("Piano provinciale per contribuire al Benessere Sociale: non in testa")]
    [InlineData("Benessere Socialmente utile: non è una dimensione")]
    [InlineData("")]
    public void Unlabelled_text_has_no_dimension(string text) =>
        Assert.Equal(BesDimension.None, OperationalObjectiveLabels.Parse(text).Bes);

    [Theory]
    [InlineData("Benessere Istituzionale: OB. TRASV. - Aggiornamento sito web istituzionale", true)]
    [InlineData("Benessere Istituzionale: OB. TRASV. PIAO - Semplificazione", true)]
    [InlineData("Benessere Istituzionale: ob.trasv. scritto male", true)]
    [InlineData("Benessere Istituzionale: Attuazione degli obblighi sulla Trasparenza", false)]
    public void Reads_the_cross_cutting_mark(string text, bool expected) =>
        Assert.Equal(expected, OperationalObjectiveLabels.Parse(text).CrossCutting);

    [Theory]
    [InlineData("Benessere Economico: Partecipazione alla predisposizione del PEF (Piano Economico Finanziario) - obiettivo intersettoriale con il settore ambiente", "il settore ambiente")]
    [InlineData("Benessere ambientale: Monitoraggio gestione dei rifiuti (obiettivo intersettoriale con Polizia Locale e Tributi)", "Polizia Locale e Tributi")]
    [InlineData("Obiettivo intersettoriale con Ragioneria.", "Ragioneria")]
    public void Reads_the_inter_sector_note(string text, string expected) =>
        Assert.Equal(expected, OperationalObjectiveLabels.Parse(text).InterSectorNote);

    [Fact]
    public void No_inter_sector_note_without_the_phrase() =>
        Assert.Null(OperationalObjectiveLabels.Parse("Benessere Ambientale: Piano del Verde").InterSectorNote);

    [Theory]
    [InlineData("Benessere Sociale: PNRR M5C2. PINQUA", new[] { "PNRR M5C2" })]
    [InlineData("Benessere Ambientale. PNRR M2C4 I2.1: Mitigazione del rischio idrogeologico", new[] { "PNRR M2C4 I2.1" })]
    [InlineData("Benessere Sociale: PNRR.M4C1 e C2:Potenziamento dell’offerta dei servizi di istruzione.", new[] { "PNRR M4C1", "PNRR M4C2" })]
    [InlineData("recupero delle infrastrutture e beni monumentali PNRR MIC3. Turismo e cultura", new[] { "PNRR M1C3" })]
    [InlineData("Programmazione/pianificazione strategica e coordinamento PNRR", new[] { "PNRR" })]
    [InlineData("risorse straordinarie ( PNRR, CIS, Politiche di coesione 21 - 27)", new[] { "PNRR", "CIS" })]
    [InlineData("Benessere Ambientale e Sociale: CIS_ La spiaggia urbana e l'ecomuseo delle bonifiche", new[] { "CIS" })]
    [InlineData("Contratto Istituzionale di Sviluppo Lecce Brindisi Costa Adriatica del 28/06/2022", new[] { "CIS" })]
    [InlineData("PNRR M5C2 e anche PNRR M5C2 di nuovo", new[] { "PNRR M5C2" })]
    [InlineData("Gestione della CISTERNA comunale", new string[0])]
    [InlineData("Benessere Ambientale: Piano del Verde", new string[0])]
    public void Reads_the_funding_references(string text, string[] expected) =>
        Assert.Equal(expected, OperationalObjectiveLabels.Parse(text).FundingReferences);

    [Fact]
    public void Reads_all_labels_of_one_objective()
    {
        var labels = OperationalObjectiveLabels.Parse("Benessere Istituzionale e Ambientale: OB. TRASV. - PNRR M2C4 I2.1 (obiettivo intersettoriale con Ambiente)");
        Assert.Equal(Ist | Amb, labels.Bes);
        Assert.True(labels.CrossCutting);
        Assert.Equal("Ambiente", labels.InterSectorNote);
        Assert.Equal(["PNRR M2C4 I2.1"], labels.FundingReferences);
    }
}
