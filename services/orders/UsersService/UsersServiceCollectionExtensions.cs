using Microsoft.Extensions.Options;

namespace MicroDemo.Orders.UsersService;

public static class UsersServiceCollectionExtensions
{
    /// <summary><see cref="UsersClient"/> with its resilience pipeline, configured from the <c>UsersService</c> section.</summary>
    public static IServiceCollection AddUsersClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UsersServiceOptions>().Bind(configuration.GetSection(UsersServiceOptions.SectionName));
        services.AddKeyedSingleton(UsersClient.PipelineKey,
            (provider, _) => UsersClient.CreatePipeline(provider.GetRequiredService<IOptions<UsersServiceOptions>>().Value));
        // The pipeline's per-attempt timeout governs; HttpClient's own 100 s default would only hide it.
        services.AddHttpClient<UsersClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }
}
