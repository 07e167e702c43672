namespace PerfPlatform.Objectives.Tests;

/// <summary>
/// The operational objectives in the 2023 annex, counted by hand: each &lt;p&gt; paragraph, each continuation
/// row, and each "Benessere ...:" label that starts a new objective inside a run-together cell.
/// </summary>
internal static class OperationalObjectivesInLecce2023
{
    public const int Count = 134;
}
