using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MicroDemo.Gateway.Caching;

public static class CachingServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayCaching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OutputCacheSettings>().Bind(configuration.GetSection(OutputCacheSettings.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ResponseCacheStore>();
        services.AddSingleton<IResponseCacheStore>(provider => provider.GetRequiredService<ResponseCacheStore>());
        services.AddSingleton<RouteOutputCache>();
        return services;
    }
}
