using System.Collections.Concurrent;
using System.Diagnostics;
using MicroDemo.Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static MicroDemo.Gateway.Tests.Configuration.ConfigurationTestData;

namespace MicroDemo.Gateway.Tests.Configuration;

public sealed class GatewayConfigurationStoreTests : IDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory = new();
    private readonly RecordingLogger _logger = new();

    public void Dispose() => _directory.Dispose();

    private GatewayConfigurationStore CreateStore(string json)
    {
        var main = _directory.Write("ocelot.json", json);
        return new GatewayConfigurationStore(main, () => new HashSet<string> { "Bearer" }, _logger);
    }

    [Fact]
    public void Invalid_configuration_at_startup_throws_with_every_error()
    {
        var exception = Assert.Throws<GatewayConfigurationException>(() =>
            CreateStore(Document($$"""{ "UpstreamPathTemplate": "a", "DownstreamPathTemplate": "b", {{Hosts}} }""")));

        Assert.Equal(2, exception.Errors.Count);
        Assert.Contains("ocelot.json: Routes[0] 'a': UpstreamPathTemplate: 'a' does not start with a forward slash '/'", exception.Message);
        Assert.Contains("ocelot.json: Routes[0] 'a': DownstreamPathTemplate: 'b' does not start with a forward slash '/'", exception.Message);
    }

    [Fact]
    public async Task Valid_edit_is_applied_without_restart_and_signals_the_change()
    {
        using var store = CreateStore(Document(Route("/one")));
        var token = store.GetReloadToken();
        Assert.False(token.HasChanged);

        // Write through a rename, as many editors do.
        var temporary = _directory.Write("ocelot.json.swp", Document($"{Route("/one")}, {Route("/two")}"));
        File.Move(temporary, store.MainFile, overwrite: true);

        await WaitUntil(() => store.Current.Routes.Count == 2);
        Assert.True(token.HasChanged);
        Assert.Contains("Information: Configuration reloaded from ocelot.json: 2 routes", _logger.Lines);
    }

    [Fact]
    public async Task Invalid_edit_is_logged_in_full_and_the_previous_configuration_keeps_serving()
    {
        using var store = CreateStore(Document(Route("/one")));
        var before = store.Current;

        File.WriteAllText(store.MainFile, Document($"{Route("/one")}, {{ \"UpstreamPathTemplate\": \"bad\", \"DownstreamPathTemplate\": \"/b\" }}"));

        await WaitUntil(() => _logger.Lines.Any(l => l.StartsWith("Error: Configuration change in ocelot.json rejected", StringComparison.Ordinal)));
        var logged = _logger.Lines.Single(l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("(2 errors)", logged);
        Assert.Contains("ocelot.json: Routes[1] 'bad': UpstreamPathTemplate: 'bad' does not start with a forward slash '/'", logged);
        Assert.Contains("ocelot.json: Routes[1] 'bad': DownstreamHostAndPorts:", logged);
        Assert.Same(before, store.Current);
    }

    [Fact]
    public async Task Adding_a_sibling_file_is_picked_up()
    {
        using var store = CreateStore(Document(Route("/one")));

        _directory.Write("ocelot.more.json", $$"""{ "Routes": [ {{Route("/more")}} ] }""");

        await WaitUntil(() => store.Current.Routes.Count == 2);
        Assert.Equal("ocelot.more.json", store.Current.Routes[1].Site.File);
    }

    [Fact]
    public async Task TryReplaceAsync_with_a_valid_document_persists_and_applies_it()
    {
        using var store = CreateStore(Document(Route("/one")));
        var token = store.GetReloadToken();
        var json = Document($"{Route("/one")}, {Route("/two")}");

        var result = await store.TryReplaceAsync(json, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(2, store.Current.Routes.Count);
        Assert.Same(result.Configuration, store.Current);
        Assert.True(token.HasChanged);
        Assert.Equal(json, File.ReadAllText(store.MainFile));
        Assert.Equal(["ocelot.json"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task TryReplaceAsync_with_an_invalid_document_returns_every_error_and_persists_nothing()
    {
        var original = Document(Route("/one"));
        using var store = CreateStore(original);
        var before = store.Current;

        var result = await store.TryReplaceAsync(
            Document("""{ "UpstreamPathTemplate": "/x", "DownstreamPathTemplate": "/y", "AuthenticationOptions": { "AuthenticationProviderKeys": ["Foo"] } }"""),
            CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(
            [
                "ocelot.json: Routes[0] '/x': DownstreamHostAndPorts: must list at least one { \"Host\", \"Port\" } when ServiceName is not set",
                "ocelot.json: Routes[0] '/x': AuthenticationOptions.AuthenticationProviderKeys: AuthenticationProviderKey 'Foo' is not configured in the gateway settings (Gateway:Authentication:Providers)",
            ],
            result.Errors.Select(e => e.ToString()));
        Assert.Equal(original, File.ReadAllText(store.MainFile));
        Assert.Same(before, store.Current);
    }

    [Fact]
    public async Task TryReplaceAsync_refuses_a_merged_configuration()
    {
        using var store = CreateStore(Document(Route("/one")));
        _directory.Write("ocelot.more.json", $$"""{ "Routes": [ {{Route("/more")}} ] }""");

        var result = await store.TryReplaceAsync(Document(Route("/x")), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(
            "ocelot.json: (file): (root): cannot be replaced through the admin API while it is merged with ocelot.more.json; edit the files instead",
            Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void TryApply_refuses_an_invalid_document_naming_its_origin_until_a_valid_one_is_applied()
    {
        using var store = CreateStore(Document(Route("/one")));
        var before = store.Current;

        var refused = store.TryApply("Consul KV key 'k'", Document(Route("bad")));

        Assert.False(refused.Succeeded);
        Assert.Same(before, store.Current);
        Assert.Equal("Consul KV key 'k'", store.Rejection?.Origin);
        Assert.Contains(_logger.Lines, l => l.StartsWith("Error: Configuration change in Consul KV key 'k' rejected (1 errors)", StringComparison.Ordinal));

        Assert.True(store.TryApply("Consul KV key 'k'", Document($"{Route("/one")}, {Route("/two")}")).Succeeded);

        Assert.Equal(2, store.Current.Routes.Count);
        Assert.Null(store.Rejection);
    }

    [Fact]
    public void Invalid_store_setting_stops_startup_naming_the_setting()
    {
        var exception = Assert.Throws<GatewayConfigurationException>(() => new ConfigurationStoreOptions { Store = "Redis" }.Validate());

        Assert.Contains("Gateway:Configuration:Store: 'Redis' is not a configuration store: use 'File' or 'Consul'", exception.Message);
    }

    [Fact]
    public void AddGatewayConfiguration_reads_the_path_from_Gateway_OcelotFile()
    {
        var main = _directory.Write("custom.json", Document(Route("/one")));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:OcelotFile"] = main })
            .Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IHostEnvironment>(new TestEnvironment(_directory.Path))
            .AddGatewayConfiguration(configuration);

        using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<GatewayConfigurationStore>();
        Assert.Equal(main, store.MainFile);
        Assert.Equal("/one", Assert.Single(store.Current.Routes).UpstreamPathTemplate);
        Assert.Single(provider.GetServices<IHostedService>());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < WaitLimit, "condition not met in time");
            await Task.Delay(50);
        }
    }

    private sealed class TestEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";
        public string ApplicationName { get; set; } = "Test";
        public string ContentRootPath { get; set; } = contentRoot;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }

    private sealed class RecordingLogger : ILogger<GatewayConfigurationStore>
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => _lines.ToList();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
