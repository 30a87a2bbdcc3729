using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MicroDemo.Gateway.Resilience;

public static class ResilienceServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayResilience(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RouteResilienceRegistry>();
        return services;
    }
}
