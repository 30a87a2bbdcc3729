using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace MicroDemo.Testing;

/// <summary>
/// A real redis-server on 127.0.0.1 and a free port, without persistence, so tests can run side by side.
/// Use as an xunit fixture (IAsyncLifetime) or create and dispose it inside a test. <see cref="StopAsync"/> and
/// <see cref="StartAsync"/> take it away and bring it back on the same port, as an outage would.
/// </summary>
public sealed class RedisServer : IAsyncLifetime, IAsyncDisposable
{
    private readonly ProcessOutput _log = new();
    private Process? _process;

    public int Port { get; } = FreePorts.Next();

    /// <summary>The StackExchange.Redis configuration string for this server (the gateway's <c>Gateway:Redis:Configuration</c>).</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Everything the server printed, for failure messages.</summary>
    public string Log => _log.ToString();

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>: empty, as nothing is saved) and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(RepoPaths.RedisServer)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = _process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        _log.Capture(process);
        // A test run that crashes or times out must not leave a server behind on the machine.
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
        await Eventually.TrueAsync(
            async () => process.HasExited
                ? throw new InvalidOperationException($"redis-server exited with {process.ExitCode}:\n{Log}")
                : await PingAsync(),
            $"redis-server on port {Port} answers PING");
    }

    /// <summary>Stops the server at once (SIGKILL): clients see their connections drop, as when a Redis host dies.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        _process?.Dispose();
        _process = null;
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            _process?.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public Task DisposeAsync() => StopAsync();

    async ValueTask IAsyncDisposable.DisposeAsync() => await StopAsync();

    // RESP by hand: a test fixture needs no client library to know that the server is up.
    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var reply = new byte[7];
            var read = await stream.ReadAsync(reply);
            return Encoding.ASCII.GetString(reply, 0, read) == "+PONG\r\n";
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
