using System.Net;
using System.Text.Json;
using MicroDemo.Testing;

namespace MicroDemo.Users.Tests.ServiceDefaults.Http;

public sealed class ErrorResponsesTests : IDisposable
{
    private readonly UsersApiFactory _factory = new();
    private readonly HttpClient _client;

    public ErrorResponsesTests() => _client = _factory.CreateClient();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("/nowhere")]
    [InlineData("/users/not-a-number")]
    public async Task Unknown_route_is_a_404_problem(string path)
    {
        var response = await _client.GetAsync(path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(UsersApiFactory.ServedBy, Assert.Single(response.Headers.GetValues("X-Served-By")));
    }

    [Fact]
    public async Task Wrong_method_is_a_405_problem()
    {
        var response = await _client.PatchAsync("/users/1", null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_endpoints()
    {
        var response = await _client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/users", out _));
        Assert.True(paths.TryGetProperty("/users/{id}", out _));
        Assert.False(paths.TryGetProperty("/health/ready", out _));
    }
}
