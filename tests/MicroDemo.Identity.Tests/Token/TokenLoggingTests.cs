using System.Text;
using static MicroDemo.Identity.Tests.TokenRequests;

namespace MicroDemo.Identity.Tests.Token;

public sealed class TokenLoggingTests
{
    [Fact]
    public async Task Logs_name_the_client_and_outcome_but_never_a_secret_or_password()
    {
        using var identity = new IdentityFactory();
        var client = identity.CreateClient();
        const string WrongSecret = "wrong-secret-4711";
        const string WrongPassword = "wrong-password-4711";

        await ClientCredentialsAsync(client);
        await PasswordAsync(client, "alice", AlicePassword);
        await PostAsync(client, [("grant_type", "client_credentials"), ("client_id", DemoClient), ("client_secret", WrongSecret)]);
        await PostAsync(client, [("grant_type", "password"), ("username", "bob"), ("password", WrongPassword)], Basic(SpaClient, SpaSecret));
        var issued = await ClientCredentialsAsync(client, AdminClient, AdminSecret);

        var logs = string.Join('\n', identity.Logs.Entries);
        Assert.Contains("Issued a token to client demo-client", logs);
        Assert.Contains("Refused a token request from client demo-client: invalid_client", logs);
        Assert.Contains("Refused a token request from client demo-spa: invalid_grant", logs);
        string[] forbidden =
        [
            DemoSecret, SpaSecret, AdminSecret, AlicePassword, WrongSecret, WrongPassword,
            Basic(DemoClient, DemoSecret).Parameter!, Basic(SpaClient, SpaSecret).Parameter!,
            issued.AccessToken.Split('.')[2],
        ];
        Assert.All(forbidden, secret => Assert.DoesNotContain(secret, logs, StringComparison.Ordinal));
    }
}
