using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>
/// Requests carrying the same session cookie go to the same host while it stays listed and the session
/// is used at least once per expiry. New sessions are spread by round robin. The gateway never sets the
/// cookie: the downstream application does.
/// </summary>
/// <remarks>
/// Unlike Ocelot, requests without the cookie are spread by round robin too; Ocelot files them all under
/// one empty session id, which sends every cookie-less request to a single host.
/// </remarks>
public sealed class CookieStickySessions : ILoadBalancer
{
    private readonly StickySessionTable _sessions;
    private readonly RoundRobin _newSessions = new();

    internal CookieStickySessions(StickySessionTable sessions) => _sessions = sessions;

    public string CookieName => _sessions.CookieName;

    internal StickySessionTable Sessions => _sessions;

    public ValueTask<Lease?> LeaseAsync(HttpContext context, IReadOnlyList<ServiceInstance> instances)
    {
        if (instances.Count == 0)
        {
            return ValueTask.FromResult<Lease?>(null);
        }

        var instance = context.Request.Cookies.TryGetValue(_sessions.CookieName, out var sessionId) && !string.IsNullOrEmpty(sessionId)
            ? _sessions.Assign(sessionId, instances, _newSessions.Next)
            : _newSessions.Next(instances);
        return ValueTask.FromResult<Lease?>(new Lease(instance));
    }
}
