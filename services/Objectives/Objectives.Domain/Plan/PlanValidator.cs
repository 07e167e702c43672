using System.Text.RegularExpressions;
using PerfPlatform.Objectives.Domain.Import;

namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// The rules every plan obeys, whatever it was read from (a Relazione, a spreadsheet, a form).
/// Percentages need no check here: a <see cref="Realization"/> cannot be out of range.
/// A plan carries no line numbers, so the problems have line 0 and name the area or code instead.
/// </summary>
public static partial class PlanValidator
{
    public static IReadOnlyList<ImportProblem> Validate(PlanDocument plan)
    {
        var errors = new List<ImportProblem>();
        CheckHeading(plan, errors);
        CheckAreas(plan, errors);
        CheckStrategicObjectives(plan, errors);
        return errors;
    }

    private static void CheckHeading(PlanDocument plan, List<ImportProblem> errors)
    {
        if (string.IsNullOrWhiteSpace(plan.EntityName))
            errors.Add(Problem("the entity name is empty"));
        if (plan.MandateStartYear > plan.MandateEndYear)
            errors.Add(Problem($"the mandate {plan.MandateStartYear} - {plan.MandateEndYear} ends before it starts"));
        else if (plan.Year < plan.MandateStartYear || plan.Year > plan.MandateEndYear)
            errors.Add(Problem($"the year {plan.Year} is outside the mandate {plan.MandateStartYear} - {plan.MandateEndYear}"));
        if (plan.Areas.Count == 0)
            errors.Add(Problem("the plan has no areas"));
    }

    private static void CheckAreas(PlanDocument plan, List<ImportProblem> errors)
    {
        foreach (var number in Duplicates(plan.Areas.Select(a => a.Number)))
            errors.Add(Problem($"area {number} appears more than once"));
        foreach (var area in plan.Areas)
        {
            if (area.Number <= 0)
                errors.Add(Problem($"area \"{area.Name}\" has number {area.Number}: area numbers start at 1"));
            if (string.IsNullOrWhiteSpace(area.Name))
                errors.Add(Problem($"area {area.Number} has an empty name"));
        }
    }

    private static void CheckStrategicObjectives(PlanDocument plan, List<ImportProblem> errors)
    {
        var strategic = plan.Areas.SelectMany(a => a.StrategicObjectives).ToList();
        foreach (var code in Duplicates(strategic.Select(s => s.Code)))
            errors.Add(Problem($"strategic objective {code} appears more than once"));
        foreach (var objective in strategic)
        {
            if (!StrategicCode().IsMatch(objective.Code))
                errors.Add(Problem($"strategic objective code \"{objective.Code}\" is not of the form area.number (like \"1.13\")"));
            if (string.IsNullOrWhiteSpace(objective.Title))
                errors.Add(Problem($"strategic objective {objective.Code} has an empty title"));
            foreach (var (operational, index) in objective.OperationalObjectives.Select((o, i) => (o, i + 1)))
                CheckOperationalObjective(objective.Code, index, operational, errors);
        }
    }

    private static void CheckOperationalObjective(string code, int index, OperationalObjectiveDraft objective, List<ImportProblem> errors)
    {
        var which = $"operational objective {index} of {code}";
        if (string.IsNullOrWhiteSpace(objective.Title))
            errors.Add(Problem($"{which} has an empty title"));
        if (objective.Weight <= 0m)
            errors.Add(Problem($"{which} has weight {objective.Weight}: a weight must be greater than 0"));
        foreach (var indicator in objective.Indicators.Where(i => string.IsNullOrWhiteSpace(i.Name)))
            errors.Add(Problem($"{which} has an indicator without a name"));
    }

    private static IEnumerable<T> Duplicates<T>(IEnumerable<T> values) =>
        values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key);

    private static ImportProblem Problem(string message) => new(0, message);

    [GeneratedRegex(@"^\d+\.\d+$")]
    private static partial Regex StrategicCode();
}
