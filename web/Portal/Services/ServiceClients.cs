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
        services.AddGrpcClient<ObjectivesV1.Objectives.ObjectivesClient>(o => o.Address = objectives).WithUserToken();
        services.AddGrpcClient<ObjectivesV1.YearWorkflow.YearWorkflowClient>(o => o.Address = objectives).WithUserToken();
        services.AddGrpcClient<ObjectivesV1.ObjectivesAudit.ObjectivesAuditClient>(o => o.Address = objectives).WithUserToken();
        services.AddGrpcClient<ScoringV1.Scoring.ScoringClient>(o => o.Address = Address("Scoring")).WithUserToken();
        services.AddGrpcClient<ReportingV1.Reporting.ReportingClient>(o => o.Address = Address("Reporting")).WithUserToken();
        services.AddSingleton<EntityName>();
        return services;
    }

    /// <summary>
    /// Every call carries the signed-in reader's access token (<c>authorization: Bearer</c>); an anonymous reader's carries
    /// none, and the services then answer only what is published. Work outside a request (the live relay) has no reader
    /// here and passes its own header. The services are reached over h2c inside the cluster, hence the insecure-channel opt-in.
    /// </summary>
    private static IHttpClientBuilder WithUserToken(this IHttpClientBuilder client) => client
        .AddCallCredentials(async (_, metadata, provider) =>
        {
            if (await provider.GetRequiredService<UserAccessToken>().GetAsync() is { Length: > 0 } token)
                metadata.Add("authorization", $"Bearer {token}");
        })
        .ConfigureChannel(o =>
        {
            o.UnsafeUseInsecureChannelCallCredentials = true;
            // A service that was down (or still starting) is tried again within 2 s: with gRPC's default backoff (up to
            // 120 s) the portal kept answering "service down" for minutes after the service was back.
            o.InitialReconnectBackoff = TimeSpan.FromMilliseconds(250);
            o.MaxReconnectBackoff = TimeSpan.FromSeconds(2);
        });
}
