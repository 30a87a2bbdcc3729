using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MicroDemo.IntegrationTests.Security;

/// <summary>
/// Defence in depth: users and orders validate tokens themselves, so calling them on their own ports,
/// past the gateway, gains nothing.
/// </summary>
[Collection(SecurityStackCollection.Name)]
public sealed class ServiceAuthenticationTests(SecurityStack stack)
{
    [Theory]
    [InlineData("users", "GET", "users")]
    [InlineData("users", "POST", "users")]
    [InlineData("orders", "GET", "orders")]
    [InlineData("orders", "POST", "orders")]
    public async Task Service_called_directly_without_a_token_answers_401(string service, string method, string path)
    {
        using var response = await stack.SendAsync(new HttpMethod(method), Service(service, path), token: null, Body(method));

        await stack.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Answers.Challenge(response));
    }

    [Theory]
    [InlineData("users", "POST", "users", "users.write")]
    [InlineData("orders", "POST", "orders", "orders.write")]
    [InlineData("orders", "GET", "orders", "orders.read")]
    public async Task Service_called_directly_with_a_token_lacking_the_scope_answers_403(string service, string method, string path, string scope)
    {
        // readonly-client may have users.read and orders.read; asking for one of them leaves the other out.
        var other = scope == "orders.read" ? "users.read" : "orders.read";
        var token = await stack.Tokens.ClientCredentialsAsync(stack.Identity.Url, "readonly-client", "readonly-secret", other);

        using var response = await stack.SendAsync(new HttpMethod(method), Service(service, path), token, Body(method));

        await stack.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"{scope}\"", Answers.Challenge(response));
    }

    [Theory]
    [InlineData("someone-else", HttpStatusCode.Forbidden)]
    [InlineData("demo-client", HttpStatusCode.Created)]
    public async Task Orders_refuses_an_X_Created_By_that_contradicts_the_token(string createdBy, HttpStatusCode expected)
    {
        var token = await stack.Tokens.ClientCredentialsAsync(stack.Identity.Url, "demo-client", "demo-secret");
        using var user = await stack.SendAsync(HttpMethod.Post, Service("users", "users"), token,
            JsonContent.Create(new { name = "Ann", email = $"ann-{Guid.NewGuid():N}@example.com" }));
        await stack.AssertStatusAsync(user, HttpStatusCode.Created);
        var userId = JsonDocument.Parse(await user.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        using var request = SecurityStack.Request(HttpMethod.Post, Service("orders", "orders"), token, JsonContent.Create(new { userId, product = "Mouse", quantity = 2 }));
        request.Headers.Add("X-Created-By", createdBy);

        using var response = await stack.Http.SendAsync(request);

        if (expected == HttpStatusCode.Forbidden)
        {
            await stack.AssertProblemAsync(response, HttpStatusCode.Forbidden);
            return;
        }

        await stack.AssertStatusAsync(response, expected);
        Assert.Equal(createdBy, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task Users_called_directly_lets_only_the_admin_role_delete_as_the_gateway_does()
    {
        var bob = await stack.Tokens.PasswordAsync(stack.Identity.Url, "bob", "bob-password");
        var alice = await stack.Tokens.PasswordAsync(stack.Identity.Url, "alice", "alice-password");
        using var created = await stack.SendAsync(HttpMethod.Post, Service("users", "users"), alice,
            JsonContent.Create(new { name = "Dee", email = $"dee-{Guid.NewGuid():N}@example.com" }));
        await stack.AssertStatusAsync(created, HttpStatusCode.Created);
        var userId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

        using var byBob = await stack.SendAsync(HttpMethod.Delete, Service("users", $"users/{userId}"), bob);
        await stack.AssertProblemAsync(byBob, HttpStatusCode.Forbidden);
        using var byAlice = await stack.SendAsync(HttpMethod.Delete, Service("users", $"users/{userId}"), alice);
        await stack.AssertStatusAsync(byAlice, HttpStatusCode.NoContent);
    }

    private Uri Service(string service, string path) => new((service == "users" ? stack.Users : stack.Orders).Url, path);

    private static HttpContent? Body(string method) => method == "POST" ? JsonContent.Create(new { }) : null;
}
