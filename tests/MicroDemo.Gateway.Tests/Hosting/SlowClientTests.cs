using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MicroDemo.Gateway.Tests.Pipeline;
using MicroDemo.Testing;
using Xunit.Abstractions;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Hosting;

/// <summary>
/// A few hundred hostile connections against the real gateway process, with its shipped limits: half trickle their
/// headers, half send headers and then stall their body. A normal client keeps its usual latency, and the gateway
/// closes every slow connection by itself (RequestHeadersTimeout, MinRequestBodyDataRate).
/// </summary>
public sealed class SlowClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SlowHeaderClients = 150;
    private const int StalledBodyClients = 150;
    private const int Samples = 100;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("microdemo-gateway-slow-");
    private readonly int _port = FreePorts.Next();
    private readonly CancellationTokenSource _stop = new();
    private Downstream _downstream = null!;
    private GatewayProcess _gateway = null!;
    private HttpClient _client = null!;
    private int _openSlowConnections;

    public async Task InitializeAsync()
    {
        _downstream = await Downstream.StartAsync();
        var file = Path.Combine(_folder.FullName, "ocelot.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(OcelotJson([Route("/{everything}", "/{everything}", _downstream.Port)])));
        _gateway = GatewayProcess.Start("--ocelot", file, "--urls", $"http://127.0.0.1:{_port}");
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}/"), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.TrueAsync(
            async () => _gateway.HasExited ? throw new InvalidOperationException(_gateway.Output) : (await _client.GetAsync("/health/live")).IsSuccessStatusCode,
            "the gateway answers");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _downstream.DisposeAsync();
        _folder.Delete(recursive: true);
        _stop.Dispose();
    }

    [Fact]
    public async Task A_normal_client_keeps_its_latency_while_hundreds_of_slow_connections_are_open_and_the_gateway_drops_them()
    {
        // Warm-up: JIT tiers, connection pools.
        await MedianLatencyAsync();
        await MedianLatencyAsync();
        var baseline = await MedianLatencyAsync();

        var slow = Enumerable.Range(0, SlowHeaderClients).Select(_ => SlowClientAsync(stallBody: false))
            .Concat(Enumerable.Range(0, StalledBodyClients).Select(_ => SlowClientAsync(stallBody: true)))
            .ToArray();
        await Eventually.TrueAsync(() => OpenSlowConnections == SlowHeaderClients + StalledBodyClients, "the slow connections are open");
        var underAttack = await MedianLatencyAsync();
        var openDuringMeasurement = OpenSlowConnections;

        output.WriteLine($"{SlowHeaderClients} header-trickling + {StalledBodyClients} body-stalling connections ({openDuringMeasurement} open while measuring); " +
                         $"normal client median of {Samples} GETs: baseline {baseline.TotalMilliseconds:0.00} ms, under attack {underAttack.TotalMilliseconds:0.00} ms, " +
                         $"ratio {underAttack / baseline:0.00}");
        Assert.True(openDuringMeasurement >= SlowHeaderClients, $"only {openDuringMeasurement} slow connections were open while measuring");
        // Generous for a shared 2-core machine; without limits the normal client would wait for the slow ones.
        Assert.True(underAttack <= baseline * 5 + TimeSpan.FromMilliseconds(5), $"median {underAttack.TotalMilliseconds:0.00} ms under attack vs {baseline.TotalMilliseconds:0.00} ms");

        // RequestHeadersTimeout (10 s) and MinRequestBodyDataRate (240 B/s after 5 s) end every slow connection.
        await Task.WhenAll(slow).WaitAsync(TimeSpan.FromSeconds(40));
        Assert.False(_gateway.HasExited, _gateway.Output);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);
    }

    private int OpenSlowConnections => Volatile.Read(ref _openSlowConnections);

    private async Task<TimeSpan> MedianLatencyAsync()
    {
        var latencies = new List<TimeSpan>(Samples);
        for (var i = 0; i < Samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await _client.GetAsync("/echo");
            await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            latencies.Add(Stopwatch.GetElapsedTime(started));
        }

        latencies.Sort();
        return latencies[Samples / 2];
    }

    /// <summary>Opens one hostile connection and returns when the gateway has closed it (or answered it with an error).</summary>
    private async Task SlowClientAsync(bool stallBody)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _port, _stop.Token);
        var start = stallBody
            ? "POST /upload HTTP/1.1\r\nHost: gateway\r\nContent-Length: 1000000\r\n\r\nonly-a-few-bytes"
            : "GET /echo HTTP/1.1\r\nHost: gateway\r\nX-Slow: ";
        await socket.SendAsync(Encoding.ASCII.GetBytes(start), _stop.Token);
        Interlocked.Increment(ref _openSlowConnections);
        try
        {
            var closed = socket.ReceiveAsync(new byte[1024], _stop.Token).AsTask();
            while (!closed.IsCompleted)
            {
                if (!stallBody)
                {
                    await socket.SendAsync("a"u8.ToArray(), _stop.Token);
                }

                await Task.WhenAny(closed, Task.Delay(TimeSpan.FromSeconds(1), _stop.Token));
            }
        }
        catch (SocketException)
        {
            // Reset by the gateway: closed all the same.
        }
        finally
        {
            Interlocked.Decrement(ref _openSlowConnections);
        }
    }
}
