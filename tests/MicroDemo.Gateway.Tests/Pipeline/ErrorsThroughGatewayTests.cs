using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Encodings.Web;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

public sealed class ErrorsThroughGatewayTests : GatewayWithDownstream
{
    private const int DownstreamDelayMs = 5000;

    private readonly int _closedPort = FreePorts.Next();
    private readonly int _hangingUpPort = FreePorts.Next();

    protected override object Configuration(int downstreamPort) =>
        OcelotJson(
        [
            Route("/refused", "/anything", _closedPort),
            Route("/slow", $"/delay/{DownstreamDelayMs}", downstreamPort, new { Timeout = 1 }),
            Route("/held", "/hold", downstreamPort),
            Route("/truncated", "/anything", _hangingUpPort),
        ]);

    [Fact]
    public async Task Refused_connection_is_502_problem_naming_the_route()
    {
        var problem = await ReadProblemAsync(await Client.GetAsync("/refused"), 502);

        Assert.Equal("/refused", problem.GetProperty("route").GetString());
    }

    [Fact]
    public async Task Downstream_slower_than_the_route_Timeout_is_503_long_before_it_answers()
    {
        var watch = Stopwatch.StartNew();
        var problem = await ReadProblemAsync(await Client.GetAsync("/slow"), 503);
        watch.Stop();

        Assert.Equal("/slow", problem.GetProperty("route").GetString());
        // Timeout 1 s against a 5 s downstream: a ratio, so a loaded machine does not fail the test.
        Assert.True(watch.ElapsedMilliseconds < DownstreamDelayMs * 0.7, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Downstream_hanging_up_before_its_body_is_502_problem_naming_the_route()
    {
        // A service that promises a body, sends its status line and headers, and hangs up.
        using var listener = new TcpListener(IPAddress.Loopback, _hangingUpPort);
        listener.Start();
        var service = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer);
                Assert.NotEqual(0, read);
                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"u8.ToArray());
            socket.Shutdown(SocketShutdown.Both);
        });

        // Nothing reached the client yet, so the gateway can still say what happened instead of a bare abort.
        var problem = await ReadProblemAsync(await Client.GetAsync("/truncated"), 502);

        Assert.Equal("/truncated", problem.GetProperty("route").GetString());
        Assert.Equal("ResponseBody", problem.GetProperty("reason").GetString());
        await service;
    }

    [Fact]
    public async Task Unexpected_failure_is_500_problem_naming_the_route_and_logged_with_its_stack_trace()
    {
        await using var gateway = GatewayServer.Start(
            OcelotJson([Route("/buggy", "/anything", _closedPort, new { AuthenticationOptions = new { AuthenticationProviderKey = "Buggy" } })]),
            services: services => services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, BuggyAuthenticationHandler>("Buggy", configureOptions: null));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/buggy");

        var problem = await ReadProblemAsync(response, 500);
        Assert.Equal("/buggy", problem.GetProperty("route").GetString());
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var logged = Assert.Single(gateway.Logs.Entries, e => e.EventId.Id == 2007);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains("InvalidOperationException: A bug in an authentication provider.", logged.Exception, StringComparison.Ordinal);
        Assert.Contains("   at ", logged.Exception, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_abort_cancels_theDownstream_request()
    {
        using var abort = new CancellationTokenSource();
        var request = Client.GetAsync("/held", abort.Token);
        await Eventually.TrueAsync(() => Task.FromResult(Downstream.InFlight == 1), "the downstream holds the request");

        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await Eventually.TrueAsync(() => Task.FromResult(Downstream.Cancelled == 1), "the downstream saw its request cancelled");
    }

    private sealed class BuggyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => throw new InvalidOperationException("A bug in an authentication provider.");
    }
}
