namespace MicroDemo.Gateway.Configuration;

/// <summary>Where the running document lives when it is not the main file (see <see cref="GatewayConfigurationStore.MoveTo"/>).</summary>
public interface IConfigurationDocumentTarget
{
    /// <summary>For logs and errors, e.g. <c>Consul KV key 'InternalConfiguration'</c>.</summary>
    string Name { get; }

    /// <summary>Persists a document the store validated: null when written, otherwise why it was not.</summary>
    Task<ConfigurationError?> TryWriteAsync(string json, CancellationToken cancellationToken);
}
