using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MicroDemo.Gateway.LoadBalancing;

public static class LoadBalancingServiceCollectionExtensions
{
    /// <summary>Registers the <see cref="LoadBalancerRegistry"/> the routes take their balancers from.</summary>
    public static IServiceCollection AddGatewayLoadBalancing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LoadBalancerRegistry>();
        return services;
    }
}
