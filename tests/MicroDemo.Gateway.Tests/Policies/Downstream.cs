using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Tests.Policies;

/// <summary>
/// A downstream service on real Kestrel at 127.0.0.1 (free port). It counts the requests that reach it and
/// answers with the status, delay and cookie the test sets. The body names the call number, so a response
/// replayed from the gateway's cache is told apart from a fresh one.
/// </summary>
internal sealed class Downstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private volatile int _statusCode = StatusCodes.Status200OK;
    private volatile TaskCompletionSource? _hold;

    private Downstream(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>How many requests reached this service.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int StatusCode
    {
        get => _statusCode;
        set => _statusCode = value;
    }

    public TimeSpan Delay { get; set; }

    /// <summary>When set, every response carries this <c>Set-Cookie</c> value.</summary>
    public string? SetCookie { get; set; }

    /// <summary>When set, every response carries this <c>Cache-Control</c> value.</summary>
    public string? CacheControl { get; set; }

    public static async Task<Downstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var downstream = new Downstream(app);
        app.Run(downstream.AnswerAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        downstream.Port = new Uri(address).Port;
        return downstream;
    }

    /// <summary>Requests wait (after being counted) until the returned action is called.</summary>
    public Action Hold()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = hold;
        return () =>
        {
            _hold = null;
            hold.TrySetResult();
        };
    }

    public async ValueTask DisposeAsync()
    {
        _hold?.TrySetResult();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var call = Interlocked.Increment(ref _requests);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted, context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        try
        {
            if (_hold is { } hold)
            {
                await hold.Task.WaitAsync(stop.Token);
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return; // the gateway gave up (QoS timeout) or the test is over
        }

        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(stop.Token);
        context.Response.StatusCode = StatusCode;
        if (SetCookie is { } cookie)
        {
            context.Response.Headers.SetCookie = cookie;
        }

        if (CacheControl is { } cacheControl)
        {
            context.Response.Headers.CacheControl = cacheControl;
        }

        // With its length, as most APIs answer: the client knows the response is complete at its last byte.
        var answer = Encoding.UTF8.GetBytes($"call {call}: {context.Request.Method} {context.Request.Path}{context.Request.QueryString} body={body}");
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, stop.Token);
    }
}
