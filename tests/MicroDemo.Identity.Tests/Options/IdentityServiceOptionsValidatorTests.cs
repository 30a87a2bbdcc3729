namespace MicroDemo.Identity.Tests.Options;

public sealed class IdentityServiceOptionsValidatorTests
{
    [Theory]
    [InlineData("Identity:Clients:demo-client:SecretHash", "demo-secret", "Identity:Clients:demo-client:SecretHash is not a valid hash")]
    [InlineData("Identity:Users:bob:PasswordHash", "bob-password", "Identity:Users:bob:PasswordHash is not a valid hash")]
    [InlineData("Identity:Clients:demo-client:AllowedScopes:0", "payments.read", "Identity:Clients:demo-client:AllowedScopes contains 'payments.read'")]
    [InlineData("Identity:Clients:demo-client:AllowedGrantTypes:0", "implicit", "Identity:Clients:demo-client:AllowedGrantTypes contains 'implicit'")]
    [InlineData("Identity:Issuer", "not a url", "Identity:Issuer 'not a url' must be an absolute http or https URL")]
    [InlineData("Identity:TokenLifetime", "-00:01:00", "Identity:TokenLifetime must be positive")]
    public void Bad_configuration_stops_startup_naming_the_key(string key, string value, string expectedMessage)
    {
        using var identity = new IdentityFactory { Settings = new Dictionary<string, string?> { [key] = value } };

        var error = Assert.ThrowsAny<Exception>(() => identity.CreateClient());

        Assert.Contains(expectedMessage, error.ToString());
    }
}
