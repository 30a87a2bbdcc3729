using System.Net;
using System.Net.Sockets;

namespace MicroDemo.Testing;

/// <summary>
/// Clients that connect from another loopback address than 127.0.0.1: Linux routes all of 127.0.0.0/8 to
/// loopback, so 127.0.0.2 and 127.0.0.3 are two more clients of one machine, with traffic still to 127.0.0.1.
/// </summary>
public static class LoopbackSource
{
    public static SocketsHttpHandler Handler(IPAddress source) => new()
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
