using ObjectivesV1 = PerfPlatform.Objectives.V1;
using ReportingV1 = PerfPlatform.Reporting.V1;
using ScoringV1 = PerfPlatform.Scoring.V1;

namespace PerfPlatform.Portal.Services;

/// <summary>
/// Every gRPC client of the portal, registered in one place so that a call credential (the user's token)
/// can be added to all of them at once.
/// </summary>
public static class ServiceClients
{
    public static IServiceCollection AddServiceClients(this IServiceCollection services, IConfiguration configuration)
    {
        Uri Address(string name) =>
            new(configuration[$"Services:{name}"] ?? throw new InvalidOperationException($"Services:{name} is not set"));

        var objectives = Address("Objectives");
        services.AddGrpcClient<ObjectivesV1.Objectives.ObjectivesClient>(o => o.Address = objectives);
        services.AddGrpcClient<ObjectivesV1.YearWorkflow.YearWorkflowClient>(o => o.Address = objectives);
        services.AddGrpcClient<ObjectivesV1.ObjectivesAudit.ObjectivesAuditClient>(o => o.Address = objectives);
        services.AddGrpcClient<ScoringV1.Scoring.ScoringClient>(o => o.Address = Address("Scoring"));
        services.AddGrpcClient<ReportingV1.Reporting.ReportingClient>(o => o.Address = Address("Reporting"));
        services.AddSingleton<EntityName>();
        services.AddSingleton<IPortalPermissions, AllowEverything>();
        return services;
    }
}
