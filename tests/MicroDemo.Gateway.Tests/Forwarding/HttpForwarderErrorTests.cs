using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using System.Text;
using MicroDemo.Gateway.Forwarding;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Tests.Forwarding;

public sealed class HttpForwarderErrorTests
{
    [Fact]
    public async Task Refused_connection_is_502_problem_naming_the_route()
    {
        await using var gateway = await TestGateway.StartAsync(new Uri($"http://127.0.0.1:{UnusedPort()}"));
        using var client = TestClients.Create();

        using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/api/users/1"));

        await AssertProblemAsync(response, HttpStatusCode.BadGateway, "DownstreamUnreachable");
        // One line that says why, with no stack trace: a refused connection is an everyday event, not a bug.
        var logged = Assert.Single(gateway.Logs.Entries, e => e.EventId.Id == 2001);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains("Connection refused", logged.Message);
        Assert.Null(logged.Exception);
    }

    [Fact]
    public async Task Downstream_slower_than_the_route_timeout_is_503_and_the_downstream_call_is_cancelled()
    {
        var downstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                downstreamCancelled.TrySetResult();
            }
        }));
        var options = new DownstreamRequestOptions { RouteName = TestGateway.RouteName, Timeout = TimeSpan.FromMilliseconds(300) };
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress, options);
        using var client = TestClients.Create();

        using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/api/slow"));

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "DownstreamTimedOut");
        await downstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Client_abort_is_499_logged_at_debug_and_cancels_the_downstream_request()
    {
        var downstreamStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var downstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            downstreamStarted.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                downstreamCancelled.TrySetResult();
            }
        }));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = TestClients.Create();
        using var abort = new CancellationTokenSource();

        var call = client.GetAsync(new Uri(gateway.BaseAddress, "/api/slow"), abort.Token);
        await downstreamStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await downstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => gateway.CompletedStatuses.Contains(499), "the gateway finishes the request with 499");
        Assert.Contains(gateway.Logs.Entries, e => e.EventId.Id == 2002 && e.Level == LogLevel.Debug && e.Message.Contains("499", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.Category.StartsWith("MicroDemo", StringComparison.Ordinal) && e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Request_body_over_the_configured_limit_is_413_problem()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            await context.Response.WriteAsync("accepted");
        }));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress, configureBuilder: builder =>
        {
            builder.Configuration[GatewayKestrelExtensions.MaxRequestBodySizeKey] = "1000";
            builder.ConfigureGatewayKestrel();
        });
        using var client = TestClients.Create();

        using var response = await client.PostAsync(new Uri(gateway.BaseAddress, "/api/upload"), new ByteArrayContent(new byte[5000]));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestBodyClient");
    }

    [Fact]
    public async Task Non_ascii_request_header_is_400_problem()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("reached")));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = TestClients.Create(handler => handler.RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/api/x"));
        request.Headers.TryAddWithoutValidation("X-Name", "Jürgen");

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "BadRequest");
    }

    [Fact]
    public async Task Downstream_failing_mid_body_aborts_the_client_connection_instead_of_ending_the_body()
    {
        var clientHasHeaders = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            context.Response.ContentLength = 1_000_000;
            await context.Response.Body.WriteAsync(new byte[10_000]);
            await context.Response.Body.FlushAsync();
            // Fail only once the client response has started: before that the gateway can still answer 502.
            await clientHasHeaders.Task.WaitAsync(TimeSpan.FromSeconds(30));
            context.Abort();
        }));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = TestClients.Create();

        using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/api/broken"), HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        clientHasHeaders.SetResult();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(Stream.Null));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(TestGateway.RouteName, problem.RootElement.GetProperty("route").GetString());
        Assert.Equal(reason, problem.RootElement.GetProperty("reason").GetString());
        Assert.Contains(TestGateway.RouteName, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
