using System.Net.Sockets;
using System.Text;

namespace MicroDemo.Launcher.Redis;

/// <summary>
/// The Redis that gateway replicas share (rate-limit counters, the output cache): on loopback, in memory only,
/// started with the edge. A single gateway needs none.
/// </summary>
internal static class StackRedis
{
    public const string Name = "redis";

    public const string Address = "127.0.0.1";

    /// <summary>Provides redis-server (scripts/), and what needs it, for <see cref="Processes.ToolInstall"/>.</summary>
    public const string InstallScript = "install-redis.sh";

    public const string Needs = "Gateway replicas share their rate-limit counters and cache through Redis";

    /// <summary>What the replicas are given as Gateway:Redis:Configuration.</summary>
    public static string Configuration(int port) => $"{Address}:{port}";

    /// <summary>Loopback only; nothing written to disk (the state is a cache and counters, worth nothing after a restart).</summary>
    public static IReadOnlyList<string> Arguments(int port) =>
        ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", Address, "--save", "", "--appendonly", "no"];

    /// <summary>Ready when it answers PING.</summary>
    public static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(Address, port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }
}
