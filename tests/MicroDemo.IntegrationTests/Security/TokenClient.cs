using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MicroDemo.IntegrationTests.Security;

/// <summary>Requests tokens from <c>POST /connect/token</c>, of identity itself or of the gateway.</summary>
public sealed class TokenClient(HttpClient http)
{
    /// <summary>Posts <paramref name="form"/> (already urlencoded, e.g. <c>grant_type=client_credentials&amp;...</c>) to <c>{origin}/connect/token</c>.</summary>
    public async Task<HttpResponseMessage> RequestAsync(Uri origin, string form, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(origin, "connect/token"))
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    /// <summary>A client_credentials token, the client authenticating with HTTP Basic.</summary>
    public Task<string> ClientCredentialsAsync(Uri origin, string clientId, string secret, string? scope = null) =>
        AccessTokenAsync(origin, "grant_type=client_credentials" + ScopeParameter(scope), Basic(clientId, secret));

    /// <summary>A password-grant token for <paramref name="userName"/> through the demo-spa client.</summary>
    public Task<string> PasswordAsync(Uri origin, string userName, string password) =>
        AccessTokenAsync(origin, $"grant_type=password&username={Uri.EscapeDataString(userName)}&password={Uri.EscapeDataString(password)}", Basic("demo-spa", "spa-secret"));

    /// <summary>RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined.</summary>
    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));

    private async Task<string> AccessTokenAsync(Uri origin, string form, AuthenticationHeaderValue authorization)
    {
        using var response = await RequestAsync(origin, form, authorization);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token request to {origin} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    private static string ScopeParameter(string? scope) => scope is null ? "" : "&scope=" + Uri.EscapeDataString(scope);
}
