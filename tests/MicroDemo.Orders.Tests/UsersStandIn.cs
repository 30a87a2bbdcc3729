using System.Collections.Concurrent;
using MicroDemo.ServiceDefaults;
using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace MicroDemo.Orders.Tests;

/// <summary>
/// Plays the users service: a real Kestrel app on a free port that registers itself in a real Consul agent
/// (through ServiceDefaults, like the real one). Users 1 to 3 exist; it can be told to fail with 500.
/// </summary>
public sealed class UsersStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;
    private volatile bool _hang;

    private UsersStandIn(WebApplication app) => _app = app;

    /// <summary>The Authorization header of every request received (empty string when absent).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The next <paramref name="count"/> requests answer 500.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    /// <summary>From now on requests get no answer until the caller gives up.</summary>
    public void Hang() => _hang = true;

    public static async Task<UsersStandIn> StartAsync(ConsulAgent consul, string name)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingNames.ServiceName] = name,
            [SettingNames.ConsulUrl] = consul.Url.ToString(),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        var app = builder.Build();
        var standIn = new UsersStandIn(app);
        app.MapServiceDefaults();
        app.MapGet("/users/{id:long}", (long id, HttpRequest request) => standIn.AnswerAsync(id, request));
        await app.StartAsync();

        await Eventually.TrueAsync(
            async () => (await consul.Client.GetHealthyInstancesAsync(name, 0, TimeSpan.Zero, CancellationToken.None)).Value.Count == 1,
            $"the {name} stand-in passes its check in Consul");
        return standIn;
    }

    private async Task<IResult> AnswerAsync(long id, HttpRequest request)
    {
        Requests.Enqueue(request.Headers.Authorization.ToString());
        if (_hang)
        {
            await Task.Delay(Timeout.Infinite, request.HttpContext.RequestAborted);
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Stand-in failure");
        }

        Interlocked.Exchange(ref _failuresLeft, 0);
        return id is >= 1 and <= 3
            ? TypedResults.Ok(new { id, name = $"user{id}", email = $"user{id}@example.com" })
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One Consul agent with a "users" stand-in registered, shared by a test class.</summary>
public sealed class UsersInConsulFixture : IAsyncLifetime
{
    public ConsulAgent Consul { get; } = new();

    public UsersStandIn Users { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Consul.InitializeAsync();
        Users = await UsersStandIn.StartAsync(Consul, "users");
    }

    public async Task DisposeAsync()
    {
        await Users.DisposeAsync();
        await Consul.DisposeAsync();
    }
}
