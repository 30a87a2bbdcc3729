namespace MicroDemo.ServiceDefaults;

/// <summary>
/// The one list of configuration keys MicroDemo's processes read. The native launcher (./demo),
/// docker-compose.yml and the tests all set these names, so they are spelled only here.
/// As environment variables, ':' becomes '__' (e.g. <c>Consul__Url</c>).
/// </summary>
public static class SettingNames
{
    /// <summary>The Consul agent's HTTP API, e.g. http://127.0.0.1:8500.</summary>
    public const string ConsulUrl = "Consul:Url";

    /// <summary>Consul ACL token (optional).</summary>
    public const string ConsulToken = "Consul:Token";

    /// <summary>The name the instance registers under in Consul (users, orders, identity, gateway).</summary>
    public const string ServiceName = "Service:Name";

    /// <summary>The address other processes dial: 127.0.0.1 natively, the compose service name in containers. Never 0.0.0.0.</summary>
    public const string ServiceAddress = "Service:Address";

    /// <summary>true: register this machine's own IPv4 address (a container's, for scaled compose services) instead of Service:Address.</summary>
    public const string ServiceUseHostAddress = "Service:UseHostAddress";

    /// <summary>The port other processes dial; defaults to the port the server listens on.</summary>
    public const string ServicePort = "Service:Port";

    /// <summary>The version tag registered in Consul.</summary>
    public const string ServiceVersion = "Service:Version";

    /// <summary>Turns Consul registration off (for tests of a service on its own).</summary>
    public const string ServiceRegisterInConsul = "Service:RegisterInConsul";

    /// <summary>The SQLite file a service keeps its data in.</summary>
    public const string DatabasePath = "Database:Path";

    /// <summary>The Consul name orders looks the users service up by (default users).</summary>
    public const string UsersServiceName = "UsersService:Name";

    /// <summary>The token issuer services and the gateway validate against, e.g. http://127.0.0.1:5010.</summary>
    public const string IdentityAuthority = "Identity:Authority";

    /// <summary>The audience tokens must carry.</summary>
    public const string IdentityAudience = "Identity:Audience";

    /// <summary>
    /// false allows fetching the token service's metadata over plain http from a host that is not loopback
    /// (docker-compose's private network, where the authority is http://identity:8080).
    /// </summary>
    public const string IdentityRequireHttpsMetadata = "Identity:RequireHttpsMetadata";

    /// <summary>
    /// The token service's signing key file. The launcher puts it under the run folder, so rebuilding (which may
    /// clean bin/) does not invalidate every token; the default, data/signing-keys.json under the content root,
    /// is the volume docker-compose mounts at /app/data.
    /// </summary>
    public const string IdentityKeyPath = "Identity:KeyPath";

    /// <summary>The gateway's ocelot.json (the <c>--ocelot</c> command-line switch sets it too).</summary>
    public const string GatewayOcelotFile = "Gateway:OcelotFile";

    /// <summary>
    /// Where the gateway's running configuration lives: <c>File</c> (default) or <c>Consul</c> (the KV key named by
    /// ocelot.json's ServiceDiscoveryProvider.ConfigurationKey, shared by every replica; the file only seeds it).
    /// </summary>
    public const string GatewayConfigurationStore = "Gateway:Configuration:Store";

    /// <summary>A StackExchange.Redis configuration string: the gateway keeps rate-limit counters and its cache there, shared by its replicas.</summary>
    public const string GatewayRedisConfiguration = "Gateway:Redis:Configuration";

    /// <summary>
    /// Where the gateway reaches Consul, over ocelot.json's ServiceDiscoveryProvider.Host and .Port: one ocelot.json
    /// serves ./demo (127.0.0.1) and docker-compose.yml (consul).
    /// </summary>
    public const string GatewayServiceDiscoveryHost = "Gateway:ServiceDiscovery:Host";

    public const string GatewayServiceDiscoveryPort = "Gateway:ServiceDiscovery:Port";

    /// <summary>The gateway's HTTPS port (0 or absent: no HTTPS listener).</summary>
    public const string GatewayHttpsPort = "Gateway:Https:Port";

    /// <summary>The gateway's TLS certificate (.pfx) and its password.</summary>
    public const string GatewayHttpsCertificatePath = "Gateway:Https:CertificatePath";

    public const string GatewayHttpsCertificatePassword = "Gateway:Https:CertificatePassword";

    /// <summary>
    /// The proxies whose X-Forwarded-For the gateway believes (a list: <c>…:TrustedProxies:0</c>, <c>…:1</c>); empty
    /// trusts nobody. The launcher names its nginx edge (127.0.0.1) for the replicas behind it.
    /// </summary>
    public const string GatewayTrustedProxies = "Gateway:ForwardedHeaders:TrustedProxies";

    /// <summary>
    /// true: the gateway's dashboard asks for a token with the admin scope (from anywhere) instead of answering only
    /// loopback clients; docker-compose.yml sets it, as a browser on the host reaches a container from the bridge network.
    /// </summary>
    public const string GatewayDashboardRequireAdminScope = "Gateway:Dashboard:RequireAdminScope";

    /// <summary>The OpenTelemetry spec's variable: where to send traces, metrics and logs over OTLP (unset: nowhere).</summary>
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Listening URLs, as ASP.NET Core reads them (ASPNETCORE_URLS / --urls).</summary>
    public const string Urls = "urls";

    /// <summary>The environment-variable spelling of a key: <c>Consul:Url</c> → <c>Consul__Url</c>.</summary>
    public static string ToEnvironmentVariable(string key) =>
        key == Urls ? "ASPNETCORE_URLS" : key.Replace(":", "__", StringComparison.Ordinal);
}
