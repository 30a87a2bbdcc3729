using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;

public static class ReferenceTokenRegistration
{
    /// <summary>The token service's introspection endpoint, relative to its authority.</summary>
    public const string IntrospectionPath = "connect/introspect";

    /// <summary>
    /// A <see cref="ReferenceTokenHandler"/> scheme named <paramref name="scheme"/>, with its own introspector and cache
    /// (a keyed singleton, so the container disposes it). An <see cref="HttpMessageHandler"/> registered under the same key
    /// carries its calls instead of the network, as JwtBearer's <c>BackchannelHttpHandler</c> does (in-process tests).
    /// </summary>
    public static AuthenticationBuilder AddReferenceTokens(
        this AuthenticationBuilder authentication, string scheme, string authority, string audience, IntrospectionOptions options)
    {
        var endpoint = new Uri(authority.TrimEnd('/') + "/" + IntrospectionPath);
        authentication.Services.AddKeyedSingleton(scheme, (provider, _) => new TokenIntrospector(
            endpoint,
            audience,
            options,
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<TokenIntrospector>(),
            provider.GetKeyedService<HttpMessageHandler>(scheme)));
        authentication.Services.AddOptions<ReferenceTokenOptions>(scheme)
            .Configure<IServiceProvider>((handler, provider) => handler.Introspector = provider.GetRequiredKeyedService<TokenIntrospector>(scheme));
        return authentication.AddScheme<ReferenceTokenOptions, ReferenceTokenHandler>(scheme, displayName: null, configureOptions: null);
    }
}
