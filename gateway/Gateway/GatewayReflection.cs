using System.Reflection;
using Google.Protobuf.Reflection;
using Grpc.Reflection;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PerfPlatform.Gateway;

/// <summary>
/// gRPC server reflection at the gateway lists the services it routes to (from the contracts in protos/, compiled
/// into the gateway as descriptors), not only its own health: a client such as grpcurl discovers the methods here and
/// calls them through the routes.
/// </summary>
public static class GatewayReflection
{
    public static IServiceCollection AddRoutedServicesReflection(this IServiceCollection services)
    {
        var descriptors = typeof(GatewayReflection).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("PerfPlatform.", StringComparison.Ordinal) == true && t.IsAbstract && t.IsSealed)
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(FileDescriptor))
            .Select(p => (FileDescriptor)p!.GetValue(null)!)
            .SelectMany(f => f.Services)
            .Append(Grpc.Health.V1.Health.Descriptor)
            .Append(ServerReflection.Descriptor)
            .ToList();
        // In place of the one AddGrpcReflection (ServiceDefaults) builds from the gateway's own few services.
        services.Replace(Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton(new ReflectionServiceImpl(descriptors)));
        return services;
    }
}
