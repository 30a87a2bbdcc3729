using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;

namespace MicroDemo.Identity.Tests;

/// <summary>The demo clients and users of services/identity/appsettings.json and token request helpers.</summary>
public static class TokenRequests
{
    public const string DemoClient = "demo-client";
    public const string DemoSecret = "demo-secret";
    public const string AdminClient = "admin-client";
    public const string AdminSecret = "admin-secret";
    public const string ReadonlyClient = "readonly-client";
    public const string ReadonlySecret = "readonly-secret";
    public const string ReferenceClient = "reference-client";
    public const string ReferenceSecret = "reference-secret";
    public const string SpaClient = "demo-spa";
    public const string SpaSecret = "spa-secret";
    public const string AlicePassword = "alice-password";
    public const string BobPassword = "bob-password";

    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, IEnumerable<(string Name, string Value)> form, AuthenticationHeaderValue? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(form.Select(pair => new KeyValuePair<string, string>(pair.Name, pair.Value))),
        };
        request.Headers.Authorization = authorization;
        return client.SendAsync(request);
    }

    public static async Task<TokenResult> ClientCredentialsAsync(HttpClient client, string clientId = DemoClient, string secret = DemoSecret, string? scope = null)
    {
        var form = new List<(string, string)> { ("grant_type", "client_credentials") };
        if (scope is not null)
        {
            form.Add(("scope", scope));
        }

        return await ReadSuccessAsync(await PostAsync(client, form, Basic(clientId, secret)));
    }

    public static async Task<TokenResult> PasswordAsync(HttpClient client, string userName, string password, string? scope = null)
    {
        var form = new List<(string, string)> { ("grant_type", "password"), ("username", userName), ("password", password) };
        if (scope is not null)
        {
            form.Add(("scope", scope));
        }

        return await ReadSuccessAsync(await PostAsync(client, form, Basic(SpaClient, SpaSecret)));
    }

    public static async Task<TokenResult> ReadSuccessAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<TokenResult>())!;
    }
}

public sealed record TokenResult(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope);

public sealed record TokenError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);
