using MicroDemo.Gateway.Security;
using MicroDemo.Gateway.Security.ReferenceTokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MicroDemo.Gateway.Tests.Security.ReferenceTokens;

public sealed class GatewayReferenceTokenExtensionsTests
{
    private const string Section = AuthenticationProviderSettings.SectionName;
    private const string Jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    private const string Handle = "YBnVLdCw9CCj6gPKWGbvOEN5wb-L25t9VFUWG80kQOs";

    [Theory]
    [InlineData("Jwt", Jwt, "Bearer")]
    [InlineData("Jwt", Handle, "Bearer")]
    [InlineData("Both", Jwt, "Bearer")]
    [InlineData("Both", Handle, "Bearer:reference")]
    [InlineData("Reference", Jwt, "Bearer:reference")]
    [InlineData("Reference", Handle, "Bearer:reference")]
    public async Task Supported_tokens_and_the_token_shape_pick_the_scheme(string supported, string token, string expectedScheme)
    {
        using var services = Build(new()
        {
            [$"{Section}:Bearer:Authority"] = "http://127.0.0.1:5010",
            [$"{Section}:Bearer:SupportedTokens"] = supported,
            [$"{Section}:Bearer:Introspection:ClientSecret"] = "api-secret",
        });
        var request = new DefaultHttpContext().Request;
        request.Headers.Authorization = $"Bearer {token}";

        var scheme = services.GetRequiredService<ReferenceTokenSchemes>().SchemeFor("Bearer", request);

        Assert.Equal(expectedScheme, scheme);
        Assert.NotNull(await services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(scheme));
    }

    [Fact]
    public void Reference_tokens_without_api_credentials_stop_startup_naming_the_keys()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            [$"{Section}:Bearer:Authority"] = "http://127.0.0.1:5010",
            [$"{Section}:Bearer:SupportedTokens"] = "Both",
            [$"{Section}:Bearer:Introspection:MaxConcurrentRequests"] = "0",
        }));

        Assert.Contains($"{Section}:Bearer:Introspection:ClientSecret", error.Message);
        Assert.Contains($"{Section}:Bearer:Introspection:MaxConcurrentRequests", error.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddGatewayAuthentication(configuration);
        return services.BuildServiceProvider();
    }
}
