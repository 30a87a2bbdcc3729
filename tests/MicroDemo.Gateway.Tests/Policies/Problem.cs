using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MicroDemo.Gateway.Tests.Policies;

/// <summary>An RFC 9457 problem the gateway answered with.</summary>
internal sealed record Problem(int Status, string? Title, string Detail, string? Route)
{
    /// <summary>Asserts <paramref name="response"/> is a problem+json with <paramref name="status"/> and reads it.</summary>
    public static async Task<Problem> ReadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        return new Problem(
            json.GetProperty("status").GetInt32(),
            json.TryGetProperty("title", out var title) ? title.GetString() : null,
            json.GetProperty("detail").GetString()!,
            json.TryGetProperty("route", out var route) ? route.GetString() : null);
    }
}
