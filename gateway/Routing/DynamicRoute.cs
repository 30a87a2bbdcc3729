namespace MicroDemo.Gateway.Routing;

/// <summary>
/// Dynamic routing (service discovery without static routes): <c>/{service}/{rest}</c> goes to service
/// <c>service</c> (or <c>svc</c> in namespace <c>ns</c> for <c>ns.svc</c>) with downstream path <c>/{rest}</c>.
/// Parsed per request and never cached, so each request keeps its own path (Ocelot 24.1+ may reuse an
/// earlier request's path).
/// </summary>
public readonly record struct DynamicRoute(string ServiceNamespace, string ServiceName, string DownstreamPath)
{
    /// <summary>Splits a request path (<see cref="RequestPath.Escaped"/>, which is forwarded as it is); false when it names no service (e.g. <c>/</c>).</summary>
    public static bool TryParse(string escaped, out DynamicRoute route)
    {
        var secondSlash = escaped.Length > 1 ? escaped.IndexOf('/', 1) : -1;
        var service = secondSlash < 0 ? escaped.AsSpan(Math.Min(1, escaped.Length)) : escaped.AsSpan(1, secondSlash - 1);
        if (service.IsEmpty)
        {
            route = default;
            return false;
        }

        var dot = service.IndexOf('.');
        var serviceNamespace = dot < 0 ? string.Empty : service[..dot].ToString();
        var serviceName = dot < 0 ? service.ToString() : service[(dot + 1)..].ToString();
        route = new DynamicRoute(serviceNamespace, serviceName, secondSlash < 0 ? "/" : escaped[secondSlash..]);
        return true;
    }

    /// <summary>The downstream path followed by the request's query, escaped where needed as a static route's query is.</summary>
    public string BuildPathAndQuery(QueryString query)
    {
        if (!query.HasValue)
        {
            return DownstreamPath;
        }

        var builder = new PooledCharBuilder(stackalloc char[256]);
        try
        {
            builder.Append(DownstreamPath);
            builder.Append('?');
            UriEscaping.AppendQuery(ref builder, query.Value.AsSpan(1));
            return builder.ToString();
        }
        finally
        {
            builder.Dispose();
        }
    }
}
