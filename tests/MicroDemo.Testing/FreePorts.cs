using System.Net;
using System.Net.Sockets;

namespace MicroDemo.Testing;

/// <summary>Loopback ports nobody listens on right now, for processes that must be told their port up front.</summary>
public static class FreePorts
{
    private static readonly object Gate = new();
    private static readonly HashSet<int> Handed = [];

    public static int Next()
    {
        lock (Gate)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                // The OS may hand the same ephemeral port out again before its first taker binds it.
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
