using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MicroDemo.ServiceDefaults.Consul;

public static class ConsulServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ConsulClient"/> against the agent named in the <c>Consul</c> section.</summary>
    public static IServiceCollection AddConsulClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsulOptions>().Bind(configuration.GetSection(ConsulOptions.SectionName));
        services.AddHttpClient<ConsulClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<ConsulOptions>>().Value;
            http.BaseAddress = new Uri(options.Url.ToString().TrimEnd('/') + "/");
            // A blocking query may legitimately take the whole wait plus Consul's jitter (wait/16).
            http.Timeout = ConsulClient.MaxBlockingWait + TimeSpan.FromSeconds(10);
            if (!string.IsNullOrEmpty(options.Token))
            {
                http.DefaultRequestHeaders.Add("X-Consul-Token", options.Token);
            }
        });
        return services;
    }
}
