using MicroDemo.Gateway.Discovery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MicroDemo.Gateway.Configuration;

public static class GatewayConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GatewayConfigurationStore"/> (singleton) reading the file named by
    /// <c>Gateway:OcelotFile</c> (see <see cref="OcelotFileLocator.Locate"/> for the default search), and a
    /// hosted service that loads it when the host starts, so an invalid configuration stops startup with
    /// a <see cref="GatewayConfigurationException"/> listing every error.
    /// Authentication provider keys are checked against the schemes registered with ASP.NET Core
    /// authentication (configured under <c>Gateway:Authentication:Providers</c>).
    /// With <c>Gateway:Configuration:Store=Consul</c> (<see cref="ConfigurationStoreOptions"/>) the file only seeds
    /// the Consul KV key that every replica then runs from (<see cref="ConsulKvConfiguration"/>).
    /// </summary>
    public static IServiceCollection AddGatewayConfiguration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(provider =>
        {
            var environment = provider.GetRequiredService<IHostEnvironment>();
            var mainFile = OcelotFileLocator.Locate(
                configuration[OcelotFileLocator.PathSetting],
                Directory.GetCurrentDirectory(),
                environment.ContentRootPath);
            return new GatewayConfigurationStore(
                mainFile,
                () => RegisteredSchemeNames(provider),
                provider.GetRequiredService<ILogger<GatewayConfigurationStore>>());
        });
        services.AddHostedService<GatewayConfigurationStartup>();

        var storeOptions = configuration.GetSection(ConfigurationStoreOptions.SectionName).Get<ConfigurationStoreOptions>() ?? new ConfigurationStoreOptions();
        storeOptions.Validate();
        if (storeOptions.UsesConsul)
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<ConsulKvConfiguration>();
            // After GatewayConfigurationStartup: it seeds from, or replaces, the configuration the file gave.
            services.AddHostedService(provider => provider.GetRequiredService<ConsulKvConfiguration>());
        }

        return services;
    }

    private static IReadOnlySet<string> RegisteredSchemeNames(IServiceProvider provider)
    {
        if (provider.GetService<IAuthenticationSchemeProvider>() is not { } schemes)
        {
            return new HashSet<string>();
        }

        // The default provider answers from an in-memory dictionary, so the task is already complete;
        // blocking here keeps configuration loading synchronous for the singleton factory.
        return schemes.GetAllSchemesAsync().GetAwaiter().GetResult().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Resolves the store at startup so that configuration errors surface before the first request.</summary>
    private sealed class GatewayConfigurationStartup(GatewayConfigurationStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = store.Current;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
