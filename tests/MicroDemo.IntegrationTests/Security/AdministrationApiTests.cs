using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Security;

/// <summary>The gateway's admin API under <c>/administration</c>, which needs a token with the <c>gateway.admin</c> scope.</summary>
[Collection(SecurityStackCollection.Name)]
public sealed class AdministrationApiTests(SecurityStack stack)
{
    [Fact]
    public async Task Admin_API_without_a_token_answers_401()
    {
        using var response = await stack.SendAsync(HttpMethod.Get, Admin("configuration"), token: null);

        await stack.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Answers.Challenge(response));
    }

    [Theory]
    [InlineData("GET", "configuration")]
    [InlineData("POST", "configuration")]
    [InlineData("DELETE", "outputcache/users")]
    public async Task Admin_API_with_a_token_lacking_gateway_admin_answers_403(string method, string path)
    {
        var token = await stack.Tokens.ClientCredentialsAsync(stack.Gateway.Url, "demo-client", "demo-secret");
        var before = File.ReadAllText(stack.OcelotFile);

        using var response = await stack.SendAsync(new HttpMethod(method), Admin(path), token, method == "POST" ? Json(before) : null);

        await stack.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"gateway.admin\"", Answers.Challenge(response));
    }

    [Fact]
    public async Task Configuration_is_read_with_every_route_of_ocelot_json()
    {
        using var response = await stack.SendAsync(HttpMethod.Get, Admin("configuration"), await AdminTokenAsync());

        await stack.AssertStatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = Routes(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        var repository = Routes(JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "ocelot.json")))!);
        Assert.Subset(served.ToHashSet(), repository.ToHashSet());
    }

    [Fact]
    public async Task Invalid_configuration_is_refused_with_its_errors_and_nothing_is_written()
    {
        var before = File.ReadAllBytes(stack.OcelotFile);
        var invalid = JsonNode.Parse(before)!;
        invalid["Routes"]!.AsArray().Add(new JsonObject
        {
            ["UpstreamPathTemplate"] = "no-leading-slash",
            ["UpstreamHttpMethod"] = new JsonArray("GET"),
            ["DownstreamScheme"] = "http",
            ["ServiceName"] = "users",
            ["AuthenticationOptions"] = new JsonObject { ["AuthenticationProviderKeys"] = new JsonArray("NoSuchProvider") },
        });

        using var response = await stack.SendAsync(HttpMethod.Post, Admin("configuration"), await AdminTokenAsync(), Json(invalid.ToJsonString()));

        var problem = await stack.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.True(errors.Count >= 2, string.Join("\n", errors));
        Assert.Contains(errors, e => e.Contains("NoSuchProvider", StringComparison.Ordinal));
        Assert.Equal(before, File.ReadAllBytes(stack.OcelotFile));
    }

    [Fact]
    public async Task Empty_configuration_is_refused_and_the_file_is_kept()
    {
        var before = File.ReadAllBytes(stack.OcelotFile);

        using var response = await stack.SendAsync(HttpMethod.Post, Admin("configuration"), await AdminTokenAsync(), Json("{}"));

        var problem = await stack.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetString()!;
        Assert.Contains("Routes: is empty and dynamic routing is off", error);
        Assert.Equal(before, File.ReadAllBytes(stack.OcelotFile));
    }

    [Fact]
    public async Task Valid_configuration_is_written_and_its_new_route_answers()
    {
        var token = await stack.Tokens.ClientCredentialsAsync(stack.Gateway.Url, "demo-client", "demo-secret");
        var configuration = JsonNode.Parse(File.ReadAllText(stack.OcelotFile))!;
        configuration["Routes"]!.AsArray().Add(new JsonObject
        {
            ["UpstreamPathTemplate"] = "/api/admin-added/users",
            ["UpstreamHttpMethod"] = new JsonArray("GET"),
            ["DownstreamPathTemplate"] = "/users",
            ["DownstreamScheme"] = "http",
            ["ServiceName"] = "users",
            ["AuthenticationOptions"] = new JsonObject
            {
                ["AuthenticationProviderKeys"] = new JsonArray("Bearer"),
                ["AllowedScopes"] = new JsonArray("users.read"),
            },
        });

        using var response = await stack.SendAsync(HttpMethod.Post, Admin("configuration"), await AdminTokenAsync(), Json(configuration.ToJsonString()));

        await stack.AssertStatusAsync(response, HttpStatusCode.OK);
        Assert.Contains("/api/admin-added/users", Routes(JsonNode.Parse(await response.Content.ReadAsStringAsync())!));
        Assert.Contains("/api/admin-added/users", Routes(JsonNode.Parse(File.ReadAllText(stack.OcelotFile))!));
        await stack.Gateway.WaitUntilAsync(
            async () =>
            {
                using var added = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/admin-added/users"), token);
                return added.StatusCode == HttpStatusCode.OK;
            },
            "the route added through the admin API answers");
        using var anonymous = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/admin-added/users"), token: null);
        await stack.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Clearing_an_output_cache_region_makes_the_next_request_reach_the_service()
    {
        var token = await stack.Tokens.ClientCredentialsAsync(stack.Gateway.Url, "demo-client", "demo-secret");
        var users = new Uri(stack.Gateway.Url, "api/users");
        using (var clear = await stack.SendAsync(HttpMethod.Delete, Admin("outputcache/users"), await AdminTokenAsync()))
        {
            await stack.AssertStatusAsync(clear, HttpStatusCode.NoContent);
        }

        // Filled by a client that accepts gzip: the copy must still serve clients that do not.
        using (var fill = SecurityStack.Request(HttpMethod.Get, users, token))
        {
            fill.Headers.AcceptEncoding.ParseAdd("gzip");
            using var filled = await stack.Http.SendAsync(fill);
            await stack.AssertStatusAsync(filled, HttpStatusCode.OK);
            Assert.Equal("MISS", filled.Headers.GetValues("X-Cache").Single());
        }

        var email = $"cached-{Guid.NewGuid():N}@example.com";
        using (var created = await stack.SendAsync(HttpMethod.Post, new Uri(stack.Users.Url, "users"), token, JsonContent.Create(new { name = "Cy", email })))
        {
            await stack.AssertStatusAsync(created, HttpStatusCode.Created);
        }

        using (var cached = await stack.SendAsync(HttpMethod.Get, users, token))
        {
            await stack.AssertStatusAsync(cached, HttpStatusCode.OK);
            Assert.Equal("HIT", cached.Headers.GetValues("X-Cache").Single());
            Assert.Empty(cached.Content.Headers.ContentEncoding);
            var listed = JsonDocument.Parse(await cached.Content.ReadAsStringAsync()).RootElement;
            Assert.DoesNotContain(listed.EnumerateArray(), user => user.GetProperty("email").GetString() == email);
        }

        using var cleared = await stack.SendAsync(HttpMethod.Delete, Admin("outputcache/users"), await AdminTokenAsync());

        await stack.AssertStatusAsync(cleared, HttpStatusCode.NoContent);
        using var fresh = await stack.SendAsync(HttpMethod.Get, users, token);
        await stack.AssertStatusAsync(fresh, HttpStatusCode.OK);
        Assert.Equal("MISS", fresh.Headers.GetValues("X-Cache").Single());
        Assert.Contains(email, await fresh.Content.ReadAsStringAsync());
    }

    private Uri Admin(string path) => new(stack.Gateway.Url, "administration/" + path);

    private Task<string> AdminTokenAsync() => stack.Tokens.ClientCredentialsAsync(stack.Gateway.Url, "admin-client", "admin-secret");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static List<string> Routes(JsonNode configuration) =>
        [.. configuration["Routes"]!.AsArray().Select(route => route!["UpstreamPathTemplate"]!.GetValue<string>())];
}
