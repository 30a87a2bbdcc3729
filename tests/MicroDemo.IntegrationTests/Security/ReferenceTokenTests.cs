using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using MicroDemo.Testing;
using Xunit.Abstractions;

namespace MicroDemo.IntegrationTests.Security;

/// <summary>
/// Reference tokens (reference-client) through the gateway and the services, and the token service's introspection
/// (RFC 7662) and revocation (RFC 7009) endpoints, on the shared stack.
/// </summary>
[Collection(SecurityStackCollection.Name)]
public sealed class ReferenceTokenTests(SecurityStack stack, ITestOutputHelper output)
{
    private const string ApiId = "microdemo";
    private const string ApiSecret = "microdemo-api-secret";

    /// <summary>The introspection cache time of the gateway and the services (their appsettings.json).</summary>
    private static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Reference_token_is_an_opaque_handle_that_the_gateway_and_orders_accept()
    {
        var token = await ReferenceTokenAsync();

        Assert.DoesNotContain('.', token);
        using var throughGateway = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/orders"), token);
        await stack.AssertStatusAsync(throughGateway, HttpStatusCode.OK);
        using var direct = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Orders.Url, "orders"), token);
        await stack.AssertStatusAsync(direct, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoked_reference_token_is_refused_within_the_cache_time()
    {
        var token = await ReferenceTokenAsync();
        using (var before = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/orders"), token))
        {
            await stack.AssertStatusAsync(before, HttpStatusCode.OK);
        }

        using var revocation = await RevokeAsync(stack.Gateway.Url, token, "reference-client", "reference-secret");
        await stack.AssertStatusAsync(revocation, HttpStatusCode.OK);
        var revokedAt = Stopwatch.StartNew();

        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/orders"), token);
                return response.StatusCode == HttpStatusCode.Unauthorized;
            },
            "the gateway refuses the revoked token",
            CacheDuration + TimeSpan.FromSeconds(5));
        Assert.True(revokedAt.Elapsed < CacheDuration + TimeSpan.FromSeconds(5), $"refused after {revokedAt.Elapsed}");
        output.WriteLine($"the gateway refused the revoked token {revokedAt.Elapsed.TotalSeconds:0.0} s after the revocation (cache time {CacheDuration.TotalSeconds} s)");

        using var refused = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/orders"), token);
        var problem = await stack.AssertProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Contains("not active", problem.GetProperty("detail").GetString());
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Orders.Url, "orders"), token);
                return response.StatusCode == HttpStatusCode.Unauthorized;
            },
            "orders refuses the revoked token",
            CacheDuration + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_client_cannot_revoke_another_clients_token()
    {
        var token = await ReferenceTokenAsync();

        using var attempt = await RevokeAsync(stack.Identity.Url, token, "demo-client", "demo-secret");

        // RFC 7009 §2.2 answers 200 whether or not anything was revoked, so the caller learns nothing about the token.
        await stack.AssertStatusAsync(attempt, HttpStatusCode.OK);
        var answer = await IntrospectAsync(token, ApiId, ApiSecret);
        Assert.True(answer.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspection_describes_an_active_reference_token_and_an_active_jwt()
    {
        var reference = await IntrospectAsync(await ReferenceTokenAsync(), ApiId, ApiSecret);
        var jwt = await IntrospectAsync(await stack.Tokens.PasswordAsync(stack.Identity.Url, "alice", "alice-password"), ApiId, ApiSecret);

        Assert.True(reference.GetProperty("active").GetBoolean());
        Assert.Equal("reference-client", reference.GetProperty("client_id").GetString());
        Assert.Equal("reference-client", reference.GetProperty("sub").GetString());
        Assert.Equal("orders.read", reference.GetProperty("scope").GetString());
        Assert.Equal("microdemo", reference.GetProperty("aud").GetString());
        Assert.Equal(stack.Issuer, reference.GetProperty("iss").GetString());
        Assert.True(reference.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.True(jwt.GetProperty("active").GetBoolean());
        Assert.Equal("alice", jwt.GetProperty("sub").GetString());
        Assert.Equal("admin", jwt.GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("a made-up handle")]
    [InlineData("a revoked jwt")]
    public async Task Introspection_of_an_unknown_or_revoked_token_answers_only_active_false(string which)
    {
        var token = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        if (which == "a revoked jwt")
        {
            token = await stack.Tokens.ClientCredentialsAsync(stack.Identity.Url, "readonly-client", "readonly-secret");
            using var revocation = await RevokeAsync(stack.Identity.Url, token, "readonly-client", "readonly-secret");
            await stack.AssertStatusAsync(revocation, HttpStatusCode.OK);
        }

        var answer = await IntrospectAsync(token, ApiId, ApiSecret);

        Assert.Equal("""{"active":false}""", answer.GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", ""));
    }

    [Theory]
    [InlineData(ApiId, "wrong-secret")]
    [InlineData("nobody", ApiSecret)]
    public async Task Introspection_with_wrong_api_credentials_is_401_invalid_client(string clientId, string secret)
    {
        using var response = await PostFormAsync(stack.Identity.Url, "connect/introspect", $"token={await ReferenceTokenAsync()}", clientId, secret);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic ", Answers.Challenge(response));
    }

    [Fact]
    public async Task A_client_may_not_introspect_tokens()
    {
        using var response = await PostFormAsync(stack.Identity.Url, "connect/introspect", $"token={await ReferenceTokenAsync()}", "demo-client", "demo-secret");

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task Revocation_without_a_token_is_400_invalid_request_and_with_wrong_credentials_401_invalid_client()
    {
        using var missing = await PostFormAsync(stack.Identity.Url, "connect/revocation", "token_type_hint=access_token", "reference-client", "reference-secret");
        using var wrong = await RevokeAsync(stack.Identity.Url, await ReferenceTokenAsync(), "reference-client", "wrong-secret");

        await AssertOAuthErrorAsync(missing, HttpStatusCode.BadRequest, "invalid_request");
        await AssertOAuthErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Discovery_announces_the_introspection_and_revocation_endpoints()
    {
        var document = JsonDocument.Parse(await stack.Http.GetStringAsync(new Uri(stack.Identity.Url, ".well-known/openid-configuration"))).RootElement;

        Assert.Equal(new Uri(stack.Identity.Url, "connect/introspect").ToString(), document.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(new Uri(stack.Identity.Url, "connect/revocation").ToString(), document.GetProperty("revocation_endpoint").GetString());
    }

    [Fact]
    public async Task With_identity_down_cached_reference_tokens_and_jwts_keep_working_and_an_uncached_reference_token_gets_503()
    {
        var cached = await ReferenceTokenAsync();
        var uncached = await ReferenceTokenAsync();
        var jwt = await stack.Tokens.ClientCredentialsAsync(stack.Identity.Url, "demo-client", "demo-secret", "orders.read");
        using (var warm = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/orders"), cached))
        {
            await stack.AssertStatusAsync(warm, HttpStatusCode.OK);
        }

        await stack.WithIdentityStoppedAsync(async () =>
        {
            using var fromCache = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/orders"), cached);
            using var notCached = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/orders"), uncached);
            using var withJwt = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/orders"), jwt);

            await stack.AssertStatusAsync(fromCache, HttpStatusCode.OK);
            var problem = await stack.AssertProblemAsync(notCached, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("cannot be reached", problem.GetProperty("detail").GetString());
            await stack.AssertStatusAsync(withJwt, HttpStatusCode.OK);
        });
    }

    private Task<string> ReferenceTokenAsync() =>
        stack.Tokens.ClientCredentialsAsync(stack.Identity.Url, "reference-client", "reference-secret", "orders.read");

    private Task<HttpResponseMessage> RevokeAsync(Uri origin, string token, string clientId, string secret) =>
        PostFormAsync(origin, "connect/revocation", $"token={Uri.EscapeDataString(token)}&token_type_hint=access_token", clientId, secret);

    private async Task<JsonElement> IntrospectAsync(string token, string clientId, string secret)
    {
        using var response = await PostFormAsync(stack.Identity.Url, "connect/introspect", $"token={Uri.EscapeDataString(token)}", clientId, secret);
        await stack.AssertStatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> PostFormAsync(Uri origin, string path, string form, string clientId, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(origin, path))
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = TokenClient.Basic(clientId, secret);
        return await stack.Http.SendAsync(request);
    }

    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("error_description").GetString()));
    }
}
