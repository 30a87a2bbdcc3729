namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Where the running configuration lives, bound from <c>Gateway:Configuration</c>. <c>File</c> (the default):
/// <c>ocelot.json</c> and its merged siblings, reloaded when edited. <c>Consul</c>: the Consul KV key named by
/// <c>ServiceDiscoveryProvider.ConfigurationKey</c>, shared by every replica, as Ocelot's <c>AddConfigStoredInConsul</c>.
/// </summary>
public sealed record ConfigurationStoreOptions
{
    public const string SectionName = "Gateway:Configuration";
    public const string FileStore = "File";
    public const string ConsulStore = "Consul";

    public string Store { get; init; } = FileStore;

    public bool UsesConsul => string.Equals(Store, ConsulStore, StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws <see cref="GatewayConfigurationException"/> naming the setting when the store is unknown.</summary>
    public void Validate()
    {
        if (!UsesConsul && !string.Equals(Store, FileStore, StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayConfigurationException([new ConfigurationError(
                "(settings)", "(startup)", SectionName + ":Store", $"'{Store}' is not a configuration store: use '{FileStore}' or '{ConsulStore}'")]);
        }
    }
}
