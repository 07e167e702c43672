using PerfPlatform.TestSupport;
using Xunit;

namespace PerfPlatform.AccessTests;

/// <summary>A host without the access-control settings does not start, and says which setting is missing.</summary>
public sealed class StartupTests
{
    private static readonly Dictionary<string, string> Databases = new()
    {
        // Present only so the hosts' own RequireSettings pass; nothing connects before the Auth check refuses.
        ["ConnectionStrings__ObjectivesDb"] = "Host=127.0.0.1;Port=9;Database=x",
        ["ConnectionStrings__ScoringDb"] = "Host=127.0.0.1;Port=9;Database=x",
        ["ConnectionStrings__ReportingDb"] = "Host=127.0.0.1;Port=9;Database=x",
        ["ConnectionStrings__RabbitMq"] = "amqp://guest:guest@127.0.0.1:9/",
        ["Services__Objectives"] = "http://127.0.0.1:9",
        ["Services__Scoring"] = "http://127.0.0.1:9",
    };

    [Theory]
    [InlineData("services/Objectives/Objectives.Host")]
    [InlineData("services/Scoring/Scoring.Host")]
    [InlineData("services/Reporting/Reporting.Host")]
    [InlineData("embedded/Embedded.Host")]
    public async Task A_host_without_Auth_Authority_and_without_Auth_Disabled_refuses_to_start(string host)
    {
        var (exit, output) = await HostProcess.RunToExitAsync(host, Databases, TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        Assert.Contains("Auth__Authority is not set", output);
    }

    [Theory]
    [InlineData("services/Scoring/Scoring.Host")]
    [InlineData("services/Reporting/Reporting.Host")]
    public async Task A_host_that_calls_other_services_needs_its_client_credentials(string host)
    {
        var settings = new Dictionary<string, string>(Databases) { ["Auth__Authority"] = "http://127.0.0.1:9" };
        var (exit, output) = await HostProcess.RunToExitAsync(host, settings, TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        Assert.Contains("Auth__ClientId, Auth__ClientSecret are not set", output);
    }
}
