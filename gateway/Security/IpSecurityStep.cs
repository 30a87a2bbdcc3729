namespace MicroDemo.Gateway.Security;

/// <summary>
/// Checks the client address against a route's <c>SecurityOptions</c>. Runs right after the route is found
/// (also for WebSocket requests); a refused client gets 403.
/// </summary>
public sealed class IpSecurityStep(ILogger<IpSecurityStep> logger)
{
    public SecurityOutcome Check(HttpContext context, string route, IpSecurityOptions options)
    {
        if (options.IsEmpty)
        {
            return SecurityOutcome.Continue;
        }

        var client = context.Connection.RemoteIpAddress;
        if (client is null)
        {
            // Only in-process hosts have no peer address; an allow list cannot vouch for it.
            return options.Allowed.IsEmpty ? SecurityOutcome.Continue : Refuse(route, "unknown", "the client address is unknown");
        }

        client = IpAddressRange.Normalize(client);
        var blocked = options.Blocked.Contains(client)
                      && !(options.ExcludeAllowedFromBlocked && options.Allowed.Contains(client));
        if (blocked)
        {
            return Refuse(route, client.ToString(), $"client address {client} is blocked");
        }

        if (!options.Allowed.IsEmpty && !options.Allowed.Contains(client))
        {
            return Refuse(route, client.ToString(), $"client address {client} is not on the allowed list");
        }

        return SecurityOutcome.Continue;
    }

    private SecurityOutcome Refuse(string route, string client, string reason)
    {
        Log.IpRefused(logger, route, client);
        return SecurityOutcome.Reject(SecurityProblem.Forbidden(route, reason));
    }
}
