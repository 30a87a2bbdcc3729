using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MicroDemo.Gateway.Discovery;

public static class DiscoveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IServiceDiscovery"/> (Consul) and the <c>discovery</c> health check. Nothing talks
    /// to Consul until <see cref="IServiceDiscovery.Configure"/> is called with the loaded configuration.
    /// Binds <see cref="ServiceDiscoveryOverrides"/>, the deployment's say on where Consul is.
    /// </summary>
    public static IServiceCollection AddGatewayDiscovery(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ServiceDiscoveryOverrides>(configuration.GetSection(ServiceDiscoveryOverrides.SectionName));
        // Idempotent: a second health check with the same name would fail at startup.
        if (services.Any(d => d.ServiceType == typeof(ConsulServiceDiscovery)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ConsulServiceDiscovery>();
        services.AddSingleton<IServiceDiscovery>(provider => provider.GetRequiredService<ConsulServiceDiscovery>());
        services.AddHealthChecks().AddCheck<DiscoveryHealthCheck>(DiscoveryHealthCheck.Name);
        return services;
    }
}
