using MicroDemo.ServiceDefaults.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MicroDemo.Gateway.LoopDetection;

public static class LoopDetectionServiceCollectionExtensions
{
    /// <summary>Registers <see cref="GatewayInstance"/>; the service defaults' <see cref="ServiceIdentity"/> too, when they are not in use.</summary>
    public static IServiceCollection AddGatewayLoopDetection(this IServiceCollection services)
    {
        services.TryAddSingleton<ServiceIdentity>();
        services.TryAddSingleton<GatewayInstance>();
        return services;
    }
}
