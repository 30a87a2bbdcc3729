using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MicroDemo.Gateway.RateLimiting;

public static class RateLimitingServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RateLimitCounterStore>();
        services.AddSingleton<IRateLimitCounters>(provider => provider.GetRequiredService<RateLimitCounterStore>());
        services.AddSingleton<RouteRateLimiter>();
        return services;
    }
}
