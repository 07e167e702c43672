using PerfPlatform.Objectives.Domain.Import;

namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>
/// The rules every plan obeys, whatever it was read from (a Relazione, a spreadsheet, a form). Each rule itself
/// lives in its value type (<see cref="StrategicCode"/>, <see cref="Weight"/>, <see cref="PlanningYear"/>,
/// <see cref="PlanText"/>); percentages need no check here: a <see cref="Realization"/> cannot be out of range.
/// A plan carries no line numbers, so the problems have line 0 and name the area or code instead.
/// </summary>
public static class PlanValidator
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
        else if (PlanText.CheckLength(plan.EntityName, PlanText.EntityName) is { } tooLong)
            errors.Add(Problem($"the entity name {tooLong}"));
        if (plan.MandateStartYear > plan.MandateEndYear)
            errors.Add(Problem($"the mandate {plan.MandateStartYear} - {plan.MandateEndYear} ends before it starts"));
        else if (PlanningYear.Check(plan.MandateStartYear) is { } start)
            errors.Add(Problem($"the mandate's first year: {start}"));
        else if (PlanningYear.Check(plan.MandateEndYear) is { } end)
            errors.Add(Problem($"the mandate's last year: {end}"));
        if (PlanningYear.Check(plan.Year, plan.MandateStartYear, plan.MandateEndYear) is { } year)
            errors.Add(Problem(PlanningYear.IsSane(plan.Year) ? year : $"the year: {year}"));
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
            else if (StrategicCode.CheckAreaNumber(area.Number) is { } number)
                errors.Add(Problem($"area \"{area.Name}\": {number}"));
            if (string.IsNullOrWhiteSpace(area.Name))
                errors.Add(Problem($"area {area.Number} has an empty name"));
            else if (PlanText.CheckLength(area.Name, PlanText.AreaName) is { } name)
                errors.Add(Problem($"area {area.Number}: the name {name}"));
            if (PlanText.CheckLength(area.Footnote, PlanText.Footnote) is { } footnote)
                errors.Add(Problem($"area {area.Number}: the footnote {footnote}"));
        }
    }

    private static void CheckStrategicObjectives(PlanDocument plan, List<ImportProblem> errors)
    {
        var strategic = plan.Areas.SelectMany(a => a.StrategicObjectives).ToList();
        foreach (var code in Duplicates(strategic.Select(s => s.Code)))
            errors.Add(Problem($"strategic objective {code} appears more than once"));
        foreach (var objective in strategic)
        {
            if (CheckCode(objective.Code) is { } badCode)
                errors.Add(Problem(badCode));
            if (string.IsNullOrWhiteSpace(objective.Title))
                errors.Add(Problem($"strategic objective {objective.Code} has an empty title"));
            else if (PlanText.CheckLength(objective.Title, PlanText.Title) is { } title)
                errors.Add(Problem($"strategic objective {objective.Code}: the title {title}"));
            foreach (var (operational, index) in objective.OperationalObjectives.Select((o, i) => (o, i + 1)))
                CheckOperationalObjective(objective.Code, index, operational, errors);
        }
    }

    /// <summary>A plan holds codes as <see cref="StrategicCode"/> writes them: "8.1", not "8.1." nor "08.1".</summary>
    private static string? CheckCode(string code)
    {
        if (StrategicCode.TryParse(code, out var parsed, out var error))
            return parsed.Value == code ? null : $"strategic objective code \"{code}\" is not of the form area.number (like \"1.13\"): write {parsed.Value}";
        return StrategicCode.HasCodeShape(code)
            ? $"strategic objective code: {error}"
            : $"strategic objective code \"{code}\" is not of the form area.number (like \"1.13\")";
    }

    private static void CheckOperationalObjective(string code, int index, OperationalObjectiveDraft objective, List<ImportProblem> errors)
    {
        var which = $"operational objective {index} of {code}";
        if (string.IsNullOrWhiteSpace(objective.Title))
            errors.Add(Problem($"{which} has an empty title"));
        else if (PlanText.CheckLength(objective.Title, PlanText.Title) is { } title)
            errors.Add(Problem($"{which}: the title {title}"));
        if (!Weight.TryCreate(objective.Weight, out _, out var weight))
            errors.Add(Problem($"{which}: the weight {weight}"));
        foreach (var sector in objective.Sectors)
            if (PlanText.CheckRequired(sector, PlanText.Sector) is { } bad)
                errors.Add(Problem($"{which}: a sector {bad}"));
        foreach (var indicator in objective.Indicators)
        {
            if (string.IsNullOrWhiteSpace(indicator.Name))
                errors.Add(Problem($"{which} has an indicator without a name"));
            else if (PlanText.CheckLength(indicator.Name, PlanText.IndicatorName) is { } name)
                errors.Add(Problem($"{which}: an indicator's name {name}"));
            if (PlanText.CheckLength(indicator.Unit, PlanText.Unit) is { } unit)
                errors.Add(Problem($"{which}: the unit of indicator \"{indicator.Name}\" {unit}"));
        }
    }

    private static IEnumerable<T> Duplicates<T>(IEnumerable<T> values) =>
        values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key);

    private static ImportProblem Problem(string message) => new(0, message);
}
