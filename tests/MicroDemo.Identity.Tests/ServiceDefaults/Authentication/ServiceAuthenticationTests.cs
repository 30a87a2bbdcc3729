using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net;
using MicroDemo.ServiceDefaults.Authentication;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static MicroDemo.Identity.Tests.TokenRequests;

namespace MicroDemo.Identity.Tests.ServiceDefaults.Authentication;

/// <summary>A small resource server protected with RequireScope, validating tokens of an in-process token service.</summary>
public sealed class ServiceAuthenticationTests(IdentityFactory identity) : IClassFixture<IdentityFactory>, IAsyncLifetime
{
    private readonly List<WebApplication> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Request_without_a_token_gets_401_with_a_bearer_challenge_and_problem_details()
    {
        var (client, _) = await StartResourceServerAsync(IdentityAuthority());

        var response = await client.GetAsync("/users");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);
    }

    [Fact]
    public async Task Token_with_the_scope_gets_200_and_the_caller_claims()
    {
        var (client, _) = await StartResourceServerAsync(IdentityAuthority());
        var token = await PasswordAsync(identity.CreateClient(), "alice", AlicePassword, scope: "users.read");

        var response = await client.SendAsync(Get("/users", token.AccessToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice|Alice Admin|admin|users.read", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Any_one_of_several_required_scopes_is_enough()
    {
        var (client, _) = await StartResourceServerAsync(IdentityAuthority());
        var token = await ClientCredentialsAsync(identity.CreateClient(), scope: "orders.write");

        var response = await client.SendAsync(Get("/orders", token.AccessToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_without_the_scope_gets_403_naming_the_scope()
    {
        var (client, _) = await StartResourceServerAsync(IdentityAuthority());
        var token = await ClientCredentialsAsync(identity.CreateClient(), scope: "orders.read");

        var response = await client.SendAsync(Get("/users", token.AccessToken));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"users.read\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(403, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);
    }

    [Fact]
    public async Task Expired_token_gets_401_invalid_token()
    {
        var (client, _) = await StartResourceServerAsync(IdentityAuthority());
        await ClientCredentialsAsync(identity.CreateClient());
        using var past = new IdentityFactory { KeyFolder = identity.KeyFolder, Time = new ShiftedTimeProvider(TimeSpan.FromHours(-2)) };
        var expired = await ClientCredentialsAsync(past.CreateClient(), scope: "users.read");

        var response = await client.SendAsync(Get("/users", expired.AccessToken));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer error=\"invalid_token\"", challenge);
        Assert.Contains("expired", challenge);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Token_for_another_audience_gets_401()
    {
        var (client, _) = await StartResourceServerAsync(IdentityAuthority(), new() { ["Identity:Audience"] = "another-api" });
        var token = await ClientCredentialsAsync(identity.CreateClient(), scope: "users.read");

        var response = await client.SendAsync(Get("/users", token.AccessToken));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("audience", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Unreachable_token_service_does_not_stop_startup_and_gets_503()
    {
        var (client, _) = await StartResourceServerAsync($"http://127.0.0.1:{ClosedPort()}", useIdentityBackchannel: false);
        var token = await ClientCredentialsAsync(identity.CreateClient(), scope: "users.read");

        var withToken = await client.SendAsync(Get("/users", token.AccessToken));
        var withoutToken = await client.GetAsync("/users");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, withToken.StatusCode);
        Assert.Equal("30", withToken.Headers.RetryAfter?.ToString());
        Assert.Equal("application/problem+json", withToken.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
    }

    [Fact]
    public async Task With_reference_tokens_supported_a_reference_token_and_a_jwt_both_get_200()
    {
        var (client, _) = await StartResourceServerAsync(IdentityAuthority(), ReferenceTokenSettings());
        var reference = await ClientCredentialsAsync(identity.CreateClient(), ReferenceClient, ReferenceSecret, "users.read");
        var jwt = await PasswordAsync(identity.CreateClient(), "alice", AlicePassword, scope: "users.read");

        var withReference = await client.SendAsync(Get("/users", reference.AccessToken));
        var withJwt = await client.SendAsync(Get("/users", jwt.AccessToken));

        Assert.Equal(HttpStatusCode.OK, withReference.StatusCode);
        Assert.Equal("reference-client|||users.read", await withReference.Content.ReadAsStringAsync());
        Assert.Equal("alice|Alice Admin|admin|users.read", await withJwt.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Revoked_reference_token_gets_401_invalid_token()
    {
        var (client, _) = await StartResourceServerAsync(IdentityAuthority(), ReferenceTokenSettings(cacheDuration: "00:00:00"));
        var token = await ClientCredentialsAsync(identity.CreateClient(), ReferenceClient, ReferenceSecret, "users.read");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/users", token.AccessToken))).StatusCode);

        var revocation = await identity.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/connect/revocation")
        {
            Content = new FormUrlEncodedContent([new("token", token.AccessToken)]),
            Headers = { Authorization = Basic(ReferenceClient, ReferenceSecret) },
        });
        var response = await client.SendAsync(Get("/users", token.AccessToken));

        Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token is not active: it is unknown, revoked or expired\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Reference_token_with_the_token_service_unreachable_gets_503()
    {
        var (client, _) = await StartResourceServerAsync($"http://127.0.0.1:{ClosedPort()}", ReferenceTokenSettings(), useIdentityBackchannel: false);
        var token = await ClientCredentialsAsync(identity.CreateClient(), ReferenceClient, ReferenceSecret, "users.read");

        var response = await client.SendAsync(Get("/users", token.AccessToken));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("30", response.Headers.RetryAfter?.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Reference_tokens_without_introspection_credentials_stop_startup()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartResourceServerAsync(IdentityAuthority(), new() { ["Identity:SupportedTokens"] = "Both" }));

        Assert.Contains("Identity:Introspection:ClientSecret", error.Message);
    }

    [Fact]
    public async Task Without_an_authority_authentication_is_off_and_says_so()
    {
        var (client, logs) = await StartResourceServerAsync(authority: null);

        var response = await client.GetAsync("/users");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("authentication is OFF", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plain_http_authority_off_loopback_stops_startup_unless_allowed()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartResourceServerAsync("http://identity.internal:5010"));
        Assert.Contains("Identity:RequireHttpsMetadata", error.Message);

        var (client, _) = await StartResourceServerAsync("http://identity.internal:5010", new() { ["Identity:RequireHttpsMetadata"] = "false" }, useIdentityBackchannel: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/users")).StatusCode);
    }

    private static Dictionary<string, string?> ReferenceTokenSettings(string cacheDuration = "00:00:10") => new()
    {
        ["Identity:SupportedTokens"] = "Both",
        ["Identity:Introspection:ClientId"] = "microdemo",
        ["Identity:Introspection:ClientSecret"] = "microdemo-api-secret",
        ["Identity:Introspection:CacheDuration"] = cacheDuration,
    };

    private string IdentityAuthority() => identity.Server.BaseAddress.ToString().TrimEnd('/');

    private async Task<(HttpClient Client, LogCapture Logs)> StartResourceServerAsync(
        string? authority,
        Dictionary<string, string?>? settings = null,
        bool useIdentityBackchannel = true)
    {
        var logs = new LogCapture();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings ?? []) { ["Identity:Authority"] = authority });

        builder.Services.AddServiceAuthentication(builder.Configuration);
        if (useIdentityBackchannel)
        {
            builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer => bearer.BackchannelHttpHandler = identity.Server.CreateHandler());
            builder.Services.AddKeyedSingleton(ServiceAuthenticationExtensions.ReferenceTokenScheme, (_, _) => identity.Server.CreateHandler());
        }

        var app = builder.Build();
        app.MapGet("/users", (HttpContext context) =>
            $"{context.User.FindFirst("sub")?.Value}|{context.User.Identity?.Name}|{string.Join(',', context.User.FindAll("role").Select(role => role.Value))}|{context.User.FindFirst("scope")?.Value}")
            .RequireScope("users.read");
        app.MapGet("/orders", () => "orders").RequireScope("orders.read", "orders.write");

        _apps.Add(app);
        await app.StartAsync();
        return (app.GetTestClient(), logs);
    }

    private static HttpRequestMessage Get(string path, string accessToken) =>
        new(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", accessToken) } };

    /// <summary>A port that was free a moment ago and that nothing listens on.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
