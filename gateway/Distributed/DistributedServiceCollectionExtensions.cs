using MicroDemo.Gateway.Caching;
using MicroDemo.Gateway.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MicroDemo.Gateway.Distributed;

public static class DistributedServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Gateway:Redis:Configuration</c> set, rate-limit counters and the output cache move to Redis, shared by
    /// every replica, and <c>/health/ready</c> gains a <c>redis</c> check. Without it nothing changes: each process
    /// keeps its state in memory. Call after <c>AddGatewayRateLimiting</c> and <c>AddGatewayCaching</c>, whose
    /// in-memory stores this replaces (and keeps, for when Redis is away).
    /// </summary>
    public static IServiceCollection AddGatewayRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(RedisOptions.SectionName);
        services.AddOptions<RedisOptions>().Bind(section);
        if (section.Get<RedisOptions>() is not { IsConfigured: true })
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SharedState>();
        services.AddHostedService(provider => provider.GetRequiredService<SharedState>());
        services.Replace(ServiceDescriptor.Singleton<IRateLimitCounters, RedisRateLimitCounters>());
        services.Replace(ServiceDescriptor.Singleton<IResponseCacheStore, RedisResponseCacheStore>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>(RedisHealthCheck.Name);
        return services;
    }
}
