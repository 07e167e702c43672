namespace PerfPlatform.Objectives.Domain.Plan;

/// <summary>A request that breaks a rule of the plan; <see cref="Field"/> names the input at fault.</summary>
public sealed class InvalidPlanInputException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}

/// <summary>Something asked for by an identifier that does not exist.</summary>
public sealed class PlanItemNotFoundException(string what, string id) : Exception($"{what} '{id}' not found")
{
    public string What { get; } = what;
    public string Id { get; } = id;
}

/// <summary>Something created with a key that is taken.</summary>
public sealed class PlanItemExistsException(string what, string key) : Exception($"{what} '{key}' already exists")
{
    public string What { get; } = what;
    public string Key { get; } = key;
}
