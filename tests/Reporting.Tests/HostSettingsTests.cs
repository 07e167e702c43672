using System.Text.Json.Nodes;
using PerfPlatform.TestSupport;
using Xunit;

namespace PerfPlatform.Reporting.Tests;

/// <summary>How Reporting.Host is built to run: what docs/benchmarks.md's reports figures assume.</summary>
public sealed class HostSettingsTests
{
    [Fact]
    public void Reporting_host_runs_with_workstation_concurrent_GC_as_the_reports_bench_measures_it()
    {
        // The host's build in this test assembly's configuration (bin/<Configuration>/<tfm>/), built with it as a project reference.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var bin = Path.Combine(TestEnvironment.RepositoryRoot, "services", "Reporting", "Reporting.Host", "bin", output.Parent!.Name, output.Name);
        var configs = Directory.Exists(bin) ? Directory.GetFiles(bin, "Reporting.Host.runtimeconfig.json") : [];
        Assert.NotEmpty(configs);
        foreach (var file in configs)
        {
            var properties = JsonNode.Parse(File.ReadAllText(file))!["runtimeOptions"]!["configProperties"]!;
            Assert.False(properties["System.GC.Server"]!.GetValue<bool>(), file);
            Assert.True(properties["System.GC.Concurrent"]!.GetValue<bool>(), file);
        }
    }
}
