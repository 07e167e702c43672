using System.Text;
using PerfPlatform.Objectives.Domain.Import;
using PerfPlatform.Objectives.Domain.Plan;

namespace PerfPlatform.Objectives.Domain.Tests;

/// <summary>The real 2023 Relazione of the Città di Lecce, its lines for editing into variants, and its parse.</summary>
internal static class Relazione2023
{
    private static readonly Lazy<string> LazyText = new(SharedData.ReadRelazione2023);
    private static readonly Lazy<ImportOutcome> LazyOutcome = new(() => RelazioneTextParser.Parse(Text));

    public static string Text => LazyText.Value;

    public static ImportOutcome Outcome => LazyOutcome.Value;

    public static PlanDocument Plan => Outcome.Plan;

    /// <summary>The lines, to edit into a variant (index 0 is line 1).</summary>
    public static List<string> Lines() => Text.Split('\n').ToList();

    public static string Join(IEnumerable<string> lines) => string.Join("\n", lines);

    /// <summary>The 1-based number of the only line that contains <paramref name="fragment"/>.</summary>
    public static int LineOf(string fragment)
    {
        var matches = Lines().Select((line, i) => (line, number: i + 1)).Where(l => l.line.Contains(fragment)).ToList();
        Assert.True(matches.Count == 1, $"expected one line with \"{fragment}\", found {matches.Count}");
        return matches[0].number;
    }

    /// <summary>The 1-based number of the row that opens strategic objective <paramref name="code"/>, in whatever column.</summary>
    public static int LineOfCode(string code)
    {
        var matches = Lines().Select((line, i) => (line, number: i + 1))
            .Where(l => l.line.Split('\t').Any(cell => cell.TrimEnd('.') == code)).ToList();
        Assert.True(matches.Count == 1, $"expected one row with code {code}, found {matches.Count}");
        return matches[0].number;
    }

    /// <summary>The variant where <paramref name="edit"/> changed the lines.</summary>
    public static string Variant(Action<List<string>> edit)
    {
        var lines = Lines();
        edit(lines);
        return Join(lines);
    }

    /// <summary>The text with one line replaced.</summary>
    public static string WithLine(int lineNumber, Func<string, string> edit) =>
        Variant(lines => lines[lineNumber - 1] = edit(lines[lineNumber - 1]));

    public static StrategicObjectiveDraft Strategic(this PlanDocument plan, string code) =>
        plan.Areas.SelectMany(a => a.StrategicObjectives).Single(s => s.Code == code);

    public static AreaDraft Area(this PlanDocument plan, int number) => plan.Areas.Single(a => a.Number == number);

    public static IEnumerable<OperationalObjectiveDraft> AllOperational(this PlanDocument plan) =>
        plan.Areas.SelectMany(a => a.StrategicObjectives).SelectMany(s => s.OperationalObjectives);

    /// <summary>Everything the plan holds, as text: two plans read alike when their summaries are equal.</summary>
    public static string Summarize(this PlanDocument plan)
    {
        var text = new StringBuilder();
        text.AppendLine($"{plan.EntityName} | {plan.MandateStartYear}-{plan.MandateEndYear} | {plan.Year} | {plan.DeclaredEntityLevel}");
        foreach (var area in plan.Areas)
        {
            text.AppendLine($"area {area.Number} | {area.Name} | {area.Footnote} | {area.DeclaredMean}");
            foreach (var strategic in area.StrategicObjectives)
            {
                text.AppendLine($"  {strategic.Code} | {strategic.Title} | {strategic.DeclaredRealization}");
                foreach (var operational in strategic.OperationalObjectives)
                    text.AppendLine($"    {operational.Title} | {operational.Labels.Bes} | {operational.Weight} | {operational.Realization}");
            }
        }
        return text.ToString();
    }

    public static PlanImportException Rejects(string text) =>
        Assert.Throws<PlanImportException>(() => RelazioneTextParser.Parse(text));
}
