using System.Net;
using System.Text.Json;
using MicroDemo.Testing;
using Microsoft.Data.Sqlite;

namespace MicroDemo.Users.Tests.ServiceDefaults.Health;

public sealed class HealthEndpointsTests : IDisposable
{
    private readonly UsersApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Healthy_instance_answers_200(string path)
    {
        var response = await _factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.True(response.Headers.Contains("X-Served-By"));
    }

    [Fact]
    public async Task Ready_reports_the_database_and_fails_when_it_is_unusable_while_live_stays_up()
    {
        var client = _factory.CreateClient();
        var before = JsonDocument.Parse(await client.GetStringAsync("/health/ready")).RootElement;
        Assert.Equal("Healthy", before.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());

        BreakDatabase(_factory.DatabasePath);
        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task An_unhandled_error_is_a_500_problem_without_a_stack_trace()
    {
        var client = _factory.CreateClient();
        await client.GetAsync("/users");

        BreakDatabase(_factory.DatabasePath);
        var response = await client.GetAsync("/users");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError);
        var text = problem.ToString();
        Assert.DoesNotContain("SqliteException", text);
        Assert.DoesNotContain(" at ", text);
        Assert.DoesNotContain(".cs:line", text);
        Assert.True(response.Headers.Contains("X-Served-By"));
    }

    /// <summary>Replaces the file with bytes that are not a database, as a disk mix-up would.</summary>
    internal static void BreakDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        File.WriteAllBytes(path, Enumerable.Repeat((byte)'x', 8192).ToArray());
    }
}
