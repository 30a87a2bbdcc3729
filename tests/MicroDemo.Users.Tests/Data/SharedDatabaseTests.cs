using System.Net;
using System.Net.Http.Json;

namespace MicroDemo.Users.Tests.Data;

/// <summary>Two instances on one SQLite file, as when the launcher scales users to two replicas.</summary>
public sealed class SharedDatabaseTests : IDisposable
{
    private readonly UsersApiFactory _owner = new();

    public void Dispose() => _owner.Dispose();

    [Fact]
    public async Task Two_instances_starting_together_seed_once_and_see_each_others_writes()
    {
        using var other = new UsersApiFactory(_owner.DatabasePath);

        // Both hosts start (and initialise the file) concurrently.
        var clients = await Task.WhenAll(Task.Run(_owner.CreateClient), Task.Run(other.CreateClient));
        var created = await clients[0].PostAsJsonAsync("/users", new { name = "erin", email = "erin@example.com" });
        var writes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            clients[i % 2].PostAsJsonAsync("/users", new { name = $"user{i}", email = $"user{i}@example.com" })));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.All(writes, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        var seenByOther = await clients[1].GetFromJsonAsync<List<UserDto>>("/users");
        Assert.Equal(3 + 1 + 20, seenByOther!.Count);
        Assert.Equal(["alice", "bob", "carol", "erin"], seenByOther.Take(4).Select(user => user.Name));
    }

    [Fact]
    public async Task A_restart_does_not_seed_again()
    {
        var client = _owner.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/users/2")).StatusCode);

        using var restarted = new UsersApiFactory(_owner.DatabasePath);
        var users = await restarted.CreateClient().GetFromJsonAsync<List<UserDto>>("/users");

        Assert.Equal(["alice", "carol"], users!.Select(user => user.Name));
    }

    private sealed record UserDto(long Id, string Name, string Email);
}
