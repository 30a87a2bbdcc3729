using System.Net;
using System.Text.Json;

namespace MicroDemo.IntegrationTests.Security;

/// <summary>What the security tests check on every refusal: the status, an RFC 9457 body and the challenge.</summary>
internal static class Answers
{
    /// <summary>Asserts the status and a problem+json body carrying it; returns the body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this SecurityStack stack, HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got " + await stack.ExplainAsync(response));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }

    public static async Task AssertStatusAsync(this SecurityStack stack, HttpResponseMessage response, HttpStatusCode status) =>
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got " + await stack.ExplainAsync(response));

    /// <summary>The <c>WWW-Authenticate</c> header exactly as sent (empty when absent).</summary>
    public static string Challenge(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? string.Join(", ", values) : "";
}
