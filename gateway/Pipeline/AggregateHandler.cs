using System.Text.Json;
using MicroDemo.Gateway.Discovery;
using MicroDemo.Gateway.Forwarding;
using MicroDemo.Gateway.Routing;
using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Pipeline;

/// <summary>
/// Aggregates: calls every route of the aggregate in parallel and answers
/// <c>{"Key1": body1, "Key2": body2}</c>. Unlike Ocelot, the result is always valid JSON: an empty body
/// becomes <c>null</c> and a non-JSON body a JSON string. Each part keeps its own authentication.
/// </summary>
public sealed class AggregateHandler(
    IServiceDiscovery discovery,
    HttpForwarder forwarder,
    RouteAuthenticationStep authentication,
    RouteAuthorizationStep authorization)
{
    public async Task HandleAsync(HttpContext context, CompiledAggregate aggregate, PlaceholderValues placeholders)
    {
        foreach (var part in aggregate.Parts)
        {
            if (part.Auth.RequiresAuthentication
                && (await (await authentication.AuthenticateAsync(context, part.Name, part.Auth)).WriteIfRejectedAsync(context)
                    || await authorization.Authorize(context, part.Name, part.Auth, new Dictionary<string, string>()).WriteIfRejectedAsync(context)))
            {
                return;
            }
        }

        byte[][] bodies;
        try
        {
            bodies = await Task.WhenAll(aggregate.Parts.Select(part => FetchAsync(context, part, placeholders)));
        }
        catch (ForwardingException error)
        {
            await HttpForwarder.WriteErrorAsync(context, error);
            return;
        }
        catch (NoInstanceException missing)
        {
            await GatewayProblems.NoInstanceAsync(context, missing.Route, missing.ServiceName);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        for (var i = 0; i < bodies.Length; i++)
        {
            writer.WritePropertyName(aggregate.Parts[i].Options.Key!);
            WritePart(writer, bodies[i]);
        }

        writer.WriteEndObject();
    }

    private async Task<byte[]> FetchAsync(HttpContext context, CompiledRoute part, PlaceholderValues placeholders)
    {
        using var lease = await part.Balancer.LeaseAsync(context, await part.InstancesAsync(discovery, context.RequestAborted))
                          ?? throw new NoInstanceException(part.Name, part.Options.ServiceName);
        var pathAndQuery = part.DownstreamPath.BuildPathAndQuery(placeholders, context.Request.Path, context.Request.QueryString);
        var destination = part.Destination(lease.Instance, context.Request.Scheme, pathAndQuery);

        using var request = forwarder.CreateRequest(context, destination, part.ForwardOptions);
        using var response = await forwarder.SendAsync(context, request, part.Invoker, part.ForwardOptions);
        return await response.Message.Content.ReadAsByteArrayAsync(context.RequestAborted);
    }

    private static void WritePart(Utf8JsonWriter writer, byte[] body)
    {
        if (body.Length == 0)
        {
            writer.WriteNullValue();
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(System.Text.Encoding.UTF8.GetString(body));
        }
    }

    private sealed class NoInstanceException(string route, string? serviceName) : Exception
    {
        public string Route { get; } = route;

        public string? ServiceName { get; } = serviceName;
    }
}
