using Microsoft.AspNetCore.Http;
using MicroDemo.Gateway.Routing;

namespace MicroDemo.Gateway.Tests.Routing;

public sealed class DynamicRouteTests
{
    [Theory]
    [InlineData("/users/api/1", "", "users", "/api/1")]
    [InlineData("/users", "", "users", "/")]
    [InlineData("/users/", "", "users", "/")]
    [InlineData("/prod.users/api", "prod", "users", "/api")]
    [InlineData("/a.b.c/x", "a", "b.c", "/x")]
    [InlineData("/users/a%20b", "", "users", "/a%20b")]
    public void Splits_service_and_downstream_path(string path, string serviceNamespace, string serviceName, string downstreamPath)
    {
        Assert.True(DynamicRoute.TryParse(path, out var route));

        Assert.Equal(new DynamicRoute(serviceNamespace, serviceName, downstreamPath), route);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("//x")]
    public void No_service_name_is_no_route(string path)
    {
        Assert.False(DynamicRoute.TryParse(path, out _));
    }

    [Fact]
    public void The_query_is_preserved_and_each_request_keeps_its_own_path()
    {
        Assert.True(DynamicRoute.TryParse("/users/api/1", out var first));
        Assert.True(DynamicRoute.TryParse("/users/api/2", out var second));

        Assert.Equal("/api/1?a=1&a=2", first.BuildPathAndQuery(new QueryString("?a=1&a=2")));
        Assert.Equal("/api/2", second.BuildPathAndQuery(QueryString.Empty));
        Assert.Equal("/api/1?a=%7C%25&b=%2541", first.BuildPathAndQuery(new QueryString("?a=|%&b=%2541")));
    }
}
