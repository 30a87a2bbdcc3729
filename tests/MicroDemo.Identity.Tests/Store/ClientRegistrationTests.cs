using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MicroDemo.Identity.Secrets;
using static MicroDemo.Identity.Tests.TokenRequests;

namespace MicroDemo.Identity.Tests.Store;

/// <summary>Configuration is the one source of clients: the store follows it at every start, keeping issued tokens.</summary>
public sealed class ClientRegistrationTests : IDisposable
{
    private readonly string _sharedFolder = IdentityFactory.NewTemporaryFolder();

    public void Dispose() => Directory.Delete(_sharedFolder, recursive: true);

    [Fact]
    public async Task Client_taken_out_of_configuration_can_no_longer_get_tokens()
    {
        var temporary = new Dictionary<string, string?>
        {
            ["Identity:Clients:temporary-client:SecretHash"] = SecretHash.Create("temporary-secret").ToString(),
            ["Identity:Clients:temporary-client:AllowedGrantTypes:0"] = "client_credentials",
            ["Identity:Clients:temporary-client:AllowedScopes:0"] = "users.read",
        };
        using (var configured = new IdentityFactory { KeyFolder = _sharedFolder, Settings = temporary })
        {
            Assert.Equal("users.read", (await ClientCredentialsAsync(configured.CreateClient(), "temporary-client", "temporary-secret")).Scope);
        }

        using var removed = new IdentityFactory { KeyFolder = _sharedFolder };
        var response = await PostAsync(removed.CreateClient(), [("grant_type", "client_credentials")], Basic("temporary-client", "temporary-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<TokenError>())!.Error);
    }

    [Fact]
    public async Task Reference_token_stays_active_across_a_restart()
    {
        string token;
        using (var first = new IdentityFactory { KeyFolder = _sharedFolder })
        {
            token = (await ClientCredentialsAsync(first.CreateClient(), ReferenceClient, ReferenceSecret)).AccessToken;
        }

        using var second = new IdentityFactory { KeyFolder = _sharedFolder };
        var response = await second.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/connect/introspect")
        {
            Content = new FormUrlEncodedContent([new("token", token)]),
            Headers = { Authorization = Basic("microdemo", "microdemo-api-secret") },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(answer.RootElement.GetProperty("active").GetBoolean());
        Assert.Equal(ReferenceClient, answer.RootElement.GetProperty("client_id").GetString());
    }
}
