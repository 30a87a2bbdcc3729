using MicroDemo.ServiceDefaults.Hosting;

namespace MicroDemo.Testing;

/// <summary>Loopback ports nobody listens on right now, for processes that must be told their port up front.</summary>
public static class FreePorts
{
    // Below Linux's ephemeral range (ip_local_port_range, 32768-60999 by default): a port from that range can be
    // taken as the local port of any outgoing connection between the moment it is picked and the moment the server
    // binds it, which made a test stack fail now and then with "port already in use".
    private const int First = 20000;
    private const int Last = 32767;

    private static readonly object Gate = new();
    private static readonly HashSet<int> Handed = [];

    public static int Next()
    {
        lock (Gate)
        {
            while (true)
            {
                var port = Random.Shared.Next(First, Last + 1);
                if (!Handed.Contains(port) && LoopbackPorts.IsFree(port))
                {
                    Handed.Add(port);
                    return port;
                }
            }
        }
    }
}
