namespace PerfPlatform.Objectives.Domain.Import;

/// <summary>Something an importer found at a place in the input: line (1-based, 0 when the whole file) and what.</summary>
public sealed record ImportProblem(int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}

/// <summary>An input that cannot be imported. Nothing of it is stored.</summary>
public sealed class PlanImportException(IReadOnlyList<ImportProblem> errors)
    : Exception(string.Join("; ", errors.Select(e => e.ToString())))
{
    public IReadOnlyList<ImportProblem> Errors { get; } = errors;
}

/// <summary>The outcome of parsing: the plan, and what a person should look at even though it imported.</summary>
public sealed record ImportOutcome(Plan.PlanDocument Plan, IReadOnlyList<ImportProblem> Warnings);
