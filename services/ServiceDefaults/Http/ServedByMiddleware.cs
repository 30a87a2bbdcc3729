using MicroDemo.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http;

namespace MicroDemo.ServiceDefaults.Http;

/// <summary>
/// Stamps every response with <c>X-Served-By: {name}-{address}-{port}</c> (the Consul service ID),
/// so a reader can watch the gateway balance across instances.
/// </summary>
internal sealed class ServedByMiddleware(RequestDelegate next, ServiceIdentity identity)
{
    public const string HeaderName = "X-Served-By";

    public Task InvokeAsync(HttpContext context)
    {
        // Set when the headers go out: the exception handler clears headers set earlier.
        context.Response.OnStarting(static state =>
        {
            var (response, id) = ((HttpResponse, string))state;
            response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        }, (context.Response, identity.Id));
        return next(context);
    }
}
