using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MicroDemo.Gateway.LoadBalancing;

public static class LoadBalancingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="LoadBalancerRegistry"/> the routes take their balancers from, and the passive health
    /// of their instances (<c>Gateway:PassiveHealth</c>).
    /// </summary>
    public static IServiceCollection AddGatewayLoadBalancing(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LoadBalancerRegistry>();
        services.AddOptions<PassiveHealthOptions>()
            .Bind(configuration.GetSection(PassiveHealthOptions.SectionName))
            .Validate(o => o.ConsecutiveFailures >= 1, $"{PassiveHealthOptions.SectionName}:ConsecutiveFailures must be 1 or greater.")
            .Validate(o => o.EjectionDuration > TimeSpan.Zero, $"{PassiveHealthOptions.SectionName}:EjectionDuration must be greater than zero (e.g. 00:00:02).")
            .ValidateOnStart();
        services.TryAddSingleton<InstanceHealthRegistry>();
        return services;
    }
}
