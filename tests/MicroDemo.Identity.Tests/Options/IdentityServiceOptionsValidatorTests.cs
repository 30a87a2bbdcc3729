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

        Assert.ThrowsAny<Exception>(() => identity.CreateClient());

        // Read from the host's own report, as an operator sees it: WebApplicationFactory sometimes rethrows this
        // start-up failure as an ObjectDisposedException, having lost a race with the app disposing its host.
        var failure = Assert.Single(identity.Logs.Entries, entry => entry.Message == "Hosting failed to start");
        Assert.Contains(expectedMessage, failure.Exception);
    }
}
