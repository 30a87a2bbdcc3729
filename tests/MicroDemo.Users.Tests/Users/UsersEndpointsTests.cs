using System.Net.Http.Json;
using System.Net;
using MicroDemo.Testing;

namespace MicroDemo.Users.Tests.Users;

public sealed class UsersEndpointsTests : IDisposable
{
    private readonly UsersApiFactory _factory = new();
    private readonly HttpClient _client;

    public UsersEndpointsTests() => _client = _factory.CreateClient();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Lists_the_seeded_users()
    {
        var users = await _client.GetFromJsonAsync<List<UserDto>>("/users");

        Assert.Equal(
            [new UserDto(1, "alice", "alice@example.com"), new UserDto(2, "bob", "bob@example.com"), new UserDto(3, "carol", "carol@example.com")],
            users);
    }

    [Fact]
    public async Task Gets_one_user()
    {
        var response = await _client.GetAsync("/users/2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new UserDto(2, "bob", "bob@example.com"), await response.Content.ReadFromJsonAsync<UserDto>());
        Assert.Equal(UsersApiFactory.ServedBy, Assert.Single(response.Headers.GetValues("X-Served-By")));
    }

    [Fact]
    public async Task Unknown_id_is_a_404_problem()
    {
        var response = await _client.GetAsync("/users/999");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("999", problem.GetProperty("detail").GetString());
        Assert.Equal(UsersApiFactory.ServedBy, Assert.Single(response.Headers.GetValues("X-Served-By")));
    }

    [Fact]
    public async Task Creates_a_user_with_201_and_location()
    {
        var response = await _client.PostAsJsonAsync("/users", new { name = " dave ", email = "dave@example.com" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<UserDto>();
        Assert.Equal(new UserDto(created!.Id, "dave", "dave@example.com"), created);
        Assert.Equal($"/users/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(created, await _client.GetFromJsonAsync<UserDto>(response.Headers.Location));
    }

    [Theory]
    [InlineData(null, "x@example.com", "name")]
    [InlineData("  ", "x@example.com", "name")]
    [InlineData("x", null, "email")]
    [InlineData("x", "not-an-email", "email")]
    [InlineData("x", "x@", "email")]
    [InlineData("x", "x@localhost", "email")]
    [InlineData("x", "Joe <joe@example.com>", "email")]
    public async Task Invalid_user_is_a_400_naming_the_field(string? name, string? email, string field)
    {
        var created = await _client.PostAsJsonAsync("/users", new { name, email });
        var updated = await _client.PutAsJsonAsync("/users/1", new { name, email });

        await ProblemAssert.IsValidationProblemAsync(created, field);
        await ProblemAssert.IsValidationProblemAsync(updated, field);
    }

    [Fact]
    public async Task Unreadable_json_is_a_400_problem_without_internals()
    {
        var response = await _client.PostAsync("/users", new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("request", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(" at ", problem.ToString());
    }

    [Fact]
    public async Task Duplicate_email_is_a_409_problem()
    {
        var response = await _client.PostAsJsonAsync("/users", new { name = "alice again", email = "ALICE@example.com" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Updates_a_user()
    {
        var response = await _client.PutAsJsonAsync("/users/3", new { name = "caroline", email = "caroline@example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new UserDto(3, "caroline", "caroline@example.com"), await _client.GetFromJsonAsync<UserDto>("/users/3"));
    }

    [Fact]
    public async Task Updating_an_unknown_user_is_a_404_problem()
    {
        var response = await _client.PutAsJsonAsync("/users/999", new { name = "nobody", email = "nobody@example.com" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deletes_a_user_once()
    {
        var first = await _client.DeleteAsync("/users/1");
        var second = await _client.DeleteAsync("/users/1");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await _client.GetAsync("/users/1"), HttpStatusCode.NotFound);
    }

    private sealed record UserDto(long Id, string Name, string Email);
}
