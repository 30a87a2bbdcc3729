using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace MicroDemo.ServiceDefaults.Consul;

/// <summary>
/// The handful of Consul HTTP API calls MicroDemo makes. Written here because no Consul client
/// package restores on this project's machines; the API is small and stable
/// (https://developer.hashicorp.com/consul/api-docs).
/// </summary>
public sealed class ConsulClient(HttpClient http)
{
    /// <summary>Consul answers a blocking query at most this late; HTTP timeouts must allow for it.</summary>
    public static readonly TimeSpan MaxBlockingWait = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public async Task RegisterAsync(ConsulServiceRegistration registration, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync("v1/agent/service/register", registration, Json, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public async Task DeregisterAsync(string serviceId, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsync($"v1/agent/service/deregister/{Uri.EscapeDataString(serviceId)}", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>
    /// True when this agent holds a registration with <paramref name="serviceId"/>. False after the agent
    /// restarted without persistent state (a dev agent forgets everything), so the owner must register again.
    /// </summary>
    public async Task<bool> IsServiceRegisteredAsync(string serviceId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v1/agent/service/{Uri.EscapeDataString(serviceId)}", cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    /// <summary>
    /// Instances of <paramref name="serviceName"/> whose checks all pass. With an <paramref name="index"/>
    /// this is a blocking query: Consul answers when the set changes or after <paramref name="wait"/>.
    /// </summary>
    public async Task<ConsulQueryResult<IReadOnlyList<ServiceInstance>>> GetHealthyInstancesAsync(
        string serviceName, ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var url = $"v1/health/service/{Uri.EscapeDataString(serviceName)}?passing=true{Blocking(index, wait)}";
        using var response = await http.GetAsync(url, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var entries = await response.Content.ReadFromJsonAsync<List<HealthServiceEntry>>(Json, cancellationToken) ?? [];

        var instances = new List<ServiceInstance>(entries.Count);
        foreach (var entry in entries)
        {
            if (ToInstance(entry, serviceName) is { } instance)
            {
                instances.Add(instance);
            }
        }

        return new ConsulQueryResult<IReadOnlyList<ServiceInstance>>(instances, ReadIndex(response));
    }

    /// <summary>Every instance of <paramref name="serviceName"/>, failing ones too, with its worst check status.</summary>
    public async Task<IReadOnlyList<ServiceInstanceHealth>> GetInstanceHealthAsync(string serviceName, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v1/health/service/{Uri.EscapeDataString(serviceName)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var entries = await response.Content.ReadFromJsonAsync<List<HealthServiceEntry>>(Json, cancellationToken) ?? [];
        var instances = new List<ServiceInstanceHealth>(entries.Count);
        foreach (var entry in entries)
        {
            if (ToInstance(entry, serviceName) is { } instance)
            {
                var statuses = entry.Checks?.Select(check => check.Status).ToList() ?? [];
                var status = statuses.Contains("critical") ? "critical" : statuses.Contains("warning") ? "warning" : "passing";
                instances.Add(new ServiceInstanceHealth(instance, status));
            }
        }

        return instances;
    }

    /// <summary>Names of every service in the catalog (blocking like <see cref="GetHealthyInstancesAsync"/>).</summary>
    public async Task<ConsulQueryResult<IReadOnlyCollection<string>>> GetServiceNamesAsync(
        ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v1/catalog/services?{Blocking(index, wait).TrimStart('&')}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var services = await response.Content.ReadFromJsonAsync<Dictionary<string, string[]>>(Json, cancellationToken) ?? [];
        return new ConsulQueryResult<IReadOnlyCollection<string>>(services.Keys, ReadIndex(response));
    }

    /// <summary>
    /// The value of a KV key, null when the key does not exist (blocking like <see cref="GetHealthyInstancesAsync"/>:
    /// a missing key still carries an index to block on, so its creation is seen at once).
    /// </summary>
    public async Task<ConsulQueryResult<string?>> GetKeyAsync(string key, ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v1/kv/{EscapeKey(key)}?raw{Blocking(index, wait)}", cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new ConsulQueryResult<string?>(null, ReadIndex(response));
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return new ConsulQueryResult<string?>(await response.Content.ReadAsStringAsync(cancellationToken), ReadIndex(response));
    }

    /// <summary>
    /// Writes a KV key. With <paramref name="checkAndSet"/> the write happens only if the key's modify index is still
    /// that value (0: only if the key does not exist yet); false means another writer came first.
    /// </summary>
    public async Task<bool> PutKeyAsync(string key, string value, ulong? checkAndSet, CancellationToken cancellationToken)
    {
        var url = $"v1/kv/{EscapeKey(key)}{(checkAndSet is { } cas ? $"?cas={cas}" : "")}";
        using var content = new StringContent(value, System.Text.Encoding.UTF8);
        using var response = await http.PutAsync(url, content, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return bool.Parse((await response.Content.ReadAsStringAsync(cancellationToken)).Trim());
    }

    /// <summary>True when the agent answers and has elected a leader (a dev agent needs about a second).</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var leader = await http.GetStringAsync("v1/status/leader", cancellationToken);
            return leader.Trim().Trim('"').Length > 0;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static ServiceInstance? ToInstance(HealthServiceEntry entry, string serviceName)
    {
        if (entry.Service is not { } service || service.Port <= 0)
        {
            return null;
        }

        // Dial the address the instance registered; the node's address only when it registered none.
        // (Ocelot dials the node *name*, its most reported Consul problem.)
        var address = string.IsNullOrWhiteSpace(service.Address) ? entry.Node?.Address : service.Address;
        return string.IsNullOrWhiteSpace(address)
            ? null
            : new ServiceInstance(
                service.ID ?? $"{service.Name}-{address}-{service.Port}",
                service.Name ?? serviceName,
                address,
                service.Port,
                service.Tags ?? [],
                service.Meta ?? new Dictionary<string, string>());
    }

    private static string Blocking(ulong index, TimeSpan wait) =>
        index == 0 ? "" : $"&index={index}&wait={(int)wait.TotalSeconds}s";

    // Keys may be paths ("microdemo/gateway"): escape each segment, keep the slashes.
    private static string EscapeKey(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    private static ulong ReadIndex(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Consul-Index", out var values)
        && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : 0;

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException(
            $"Consul answered {(int)response.StatusCode} to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {body.Trim()}",
            null,
            response.StatusCode);
    }
}
