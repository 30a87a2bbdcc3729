using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.Gateway.LoadBalancing;
using Microsoft.AspNetCore.Http;

namespace MicroDemo.Gateway.Tests.LoadBalancing;

internal static class Instances
{
    public static ServiceInstance At(int port, string address = "127.0.0.1") =>
        new($"svc-{address}-{port}", "svc", address, port, [], new Dictionary<string, string>());

    public static IReadOnlyList<ServiceInstance> Ports(params int[] ports) => ports.Select(p => At(p)).ToList();

    public static HttpContext Request(string? cookie = null)
    {
        var context = new DefaultHttpContext();
        if (cookie is not null)
        {
            context.Request.Headers.Cookie = cookie;
        }

        return context;
    }

    public static async Task<int> PortChosenAsync(this ILoadBalancer balancer, IReadOnlyList<ServiceInstance> instances, string? cookie = null)
    {
        using var lease = await balancer.LeaseAsync(Request(cookie), instances);
        return Assert.IsType<Lease>(lease).Instance.Port;
    }
}
