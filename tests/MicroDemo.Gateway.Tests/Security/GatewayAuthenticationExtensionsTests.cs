using MicroDemo.ServiceDefaults.Authentication;
using MicroDemo.Gateway.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Tests.Security;

public sealed class GatewayAuthenticationExtensionsTests
{
    private const string Section = AuthenticationProviderSettings.SectionName;

    [Fact]
    public async Task Each_provider_becomes_a_jwt_bearer_scheme_with_safe_defaults()
    {
        using var services = Build(new()
        {
            [$"{Section}:Identity:Authority"] = "http://127.0.0.1:5010",
            [$"{Section}:Partner:Authority"] = "https://login.partner.example/tenant/",
            [$"{Section}:Partner:Audience"] = "partner-api",
            [$"{Section}:Partner:ClockSkew"] = "00:00:05",
        });

        var schemes = await services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        Assert.Equal(["Identity", "Partner"], schemes.Select(scheme => scheme.Name).Order());
        Assert.Null(await services.GetRequiredService<IAuthenticationSchemeProvider>().GetDefaultAuthenticateSchemeAsync());

        var bearer = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>();
        var identity = bearer.Get("Identity");
        Assert.False(identity.MapInboundClaims);
        Assert.True(identity.RefreshOnIssuerKeyNotFound);
        Assert.False(identity.RequireHttpsMetadata);
        Assert.Equal("http://127.0.0.1:5010/.well-known/openid-configuration", identity.MetadataAddress);
        Assert.Equal("microdemo", identity.TokenValidationParameters.ValidAudience);
        Assert.IsType<IssuerMetadataManager>(identity.ConfigurationManager);
        Assert.Equal(TokenValidationDefaults.ClockSkew, identity.TokenValidationParameters.ClockSkew); // the services' own
        var partner = bearer.Get("Partner");
        Assert.True(partner.RequireHttpsMetadata);
        Assert.Equal("https://login.partner.example/tenant/.well-known/openid-configuration", partner.MetadataAddress);
        Assert.Equal("partner-api", partner.TokenValidationParameters.ValidAudience);
        Assert.Equal(TimeSpan.FromSeconds(5), partner.TokenValidationParameters.ClockSkew);
        Assert.True(partner.TokenValidationParameters is { ValidateIssuer: true, ValidateAudience: true, ValidateLifetime: true, ValidateIssuerSigningKey: true });
    }

    [Fact]
    public async Task Each_provider_key_is_a_registered_scheme_the_configuration_validator_can_see()
    {
        using var services = Build(new() { [$"{Section}:Identity:Authority"] = "http://localhost:5010" });

        var schemes = await services.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>().GetAllSchemesAsync();

        Assert.Equal(["Identity"], schemes.Select(scheme => scheme.Name));
    }

    [Fact]
    public void An_http_authority_off_the_machine_needs_an_explicit_opt_out_of_https()
    {
        var optedOut = Build(new()
        {
            [$"{Section}:Identity:Authority"] = "http://identity:8080",
            [$"{Section}:Identity:RequireHttpsMetadata"] = "false",
        });
        optedOut.Dispose();

        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { [$"{Section}:Identity:Authority"] = "http://identity:8080" }));
        Assert.Contains($"{Section}:Identity:Authority 'http://identity:8080/' is not https; set {Section}:Identity:RequireHttpsMetadata to false", error.Message);
    }

    [Fact]
    public void Every_invalid_setting_is_reported_at_once()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            [$"{Section}:A:Audience"] = "x",
            [$"{Section}:B:Authority"] = "ftp://127.0.0.1",
            [$"{Section}:C:Authority"] = "http://127.0.0.1:1",
            [$"{Section}:C:Audience"] = " ",
            [$"{Section}:C:MinimumRefreshInterval"] = "00:00:00",
            [$"{Section}:C:MetadataRefreshInterval"] = "00:01:00",
        }));

        Assert.Contains($"{Section}:A:Authority must be an absolute http(s) URL of the token issuer (got '').", error.Message);
        Assert.Contains($"{Section}:B:Authority must be an absolute http(s) URL of the token issuer (got 'ftp://127.0.0.1').", error.Message);
        Assert.Contains($"{Section}:C:Audience must not be empty.", error.Message);
        Assert.Contains($"{Section}:C:MinimumRefreshInterval must be at least 00:00:01 (got 00:00:00).", error.Message);
        Assert.Contains($"{Section}:C:MetadataRefreshInterval must be at least 00:05:00 (got 00:01:00).", error.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddGatewayAuthentication(configuration);
        return services.BuildServiceProvider();
    }
}
