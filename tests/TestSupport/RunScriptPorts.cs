using System.Diagnostics;

namespace PerfPlatform.TestSupport;

/// <summary>
/// Free loopback ports for every listener <c>scripts/run.sh</c> starts, management ports included: left to follow their
/// service's port (+80, +3891, ...), one of those once landed on a port another process held, and run.sh exited.
/// </summary>
public sealed class RunScriptPorts
{
    public int Http { get; } = TestEnvironment.FreeTcpPort();
    public int Grpc { get; } = TestEnvironment.FreeTcpPort();
    public int Services { get; } = TestEnvironment.FreeTcpPort();
    public int Portal { get; } = TestEnvironment.FreeTcpPort();
    public int Identity { get; } = TestEnvironment.FreeTcpPort();
    public int ServicesManagement { get; } = TestEnvironment.FreeTcpPort();
    public int PortalManagement { get; } = TestEnvironment.FreeTcpPort();
    public int IdentityManagement { get; } = TestEnvironment.FreeTcpPort();
    public int GatewayManagement { get; } = TestEnvironment.FreeTcpPort();

    public IReadOnlyList<int> All => [Http, Grpc, Services, Portal, Identity, ServicesManagement, PortalManagement, IdentityManagement, GatewayManagement];

    /// <summary>Sets run.sh's port variables on the process to start.</summary>
    public void ApplyTo(ProcessStartInfo info)
    {
        info.Environment["PERF_RUN_HTTP_PORT"] = Http.ToString();
        info.Environment["PERF_RUN_GRPC_PORT"] = Grpc.ToString();
        info.Environment["PERF_RUN_SERVICES_PORT"] = Services.ToString();
        info.Environment["PERF_RUN_PORTAL_PORT"] = Portal.ToString();
        info.Environment["PERF_RUN_IDENTITY_PORT"] = Identity.ToString();
        info.Environment["PERF_RUN_SERVICES_MANAGEMENT_PORT"] = ServicesManagement.ToString();
        info.Environment["PERF_RUN_PORTAL_MANAGEMENT_PORT"] = PortalManagement.ToString();
        info.Environment["PERF_RUN_IDENTITY_MANAGEMENT_PORT"] = IdentityManagement.ToString();
        info.Environment["PERF_RUN_GATEWAY_MANAGEMENT_PORT"] = GatewayManagement.ToString();
    }
}
