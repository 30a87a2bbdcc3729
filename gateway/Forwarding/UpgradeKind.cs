namespace MicroDemo.Gateway.Forwarding;

/// <summary>How the client asked to turn the request into a WebSocket.</summary>
internal enum UpgradeKind
{
    None,

    /// <summary>HTTP/1.1 <c>Connection: Upgrade</c> + <c>Upgrade: websocket</c>.</summary>
    Http11WebSocket,

    /// <summary>HTTP/2 extended CONNECT with <c>:protocol websocket</c> (RFC 8441).</summary>
    Http2WebSocket,
}
