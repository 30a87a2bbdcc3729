using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MicroDemo.Gateway.Tests.Security;

internal static class ProblemAssert
{
    /// <summary>Asserts an RFC 9457 problem with <paramref name="status"/> naming <paramref name="route"/>; returns its detail.</summary>
    public static async Task<string> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string route)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(route, problem.GetProperty("route").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(route, detail);
        return detail;
    }

    public static string? Challenge(HttpResponseMessage response) =>
        response.Headers.WwwAuthenticate.Count == 0 ? null : response.Headers.GetValues("WWW-Authenticate").Single();
}
