using System.Net;
using System.Net.Sockets;

namespace MicroDemo.ServiceDefaults.Hosting;

/// <summary>Is a 127.0.0.1 port free? Asked by ./demo before it starts anything and by the tests when they pick ports.</summary>
public static class LoopbackPorts
{
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
