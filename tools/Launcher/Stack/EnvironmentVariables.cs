namespace MicroDemo.Launcher.Stack;

/// <summary>The MICRODEMO_* variables ./demo reads (documented in README.md).</summary>
internal static class EnvironmentVariables
{
    public const string RunDirectory = "MICRODEMO_RUN_DIR";
    public const string Only = "MICRODEMO_ONLY";
    public const string ReadyTimeout = "MICRODEMO_UP_TIMEOUT";
    public const string ConsulPort = "MICRODEMO_CONSUL_PORT";
    public const string IdentityPort = "MICRODEMO_IDENTITY_PORT";
    public const string UsersPort = "MICRODEMO_USERS_PORT";
    public const string OrdersPorts = "MICRODEMO_ORDERS_PORTS";
    public const string GatewayPort = "MICRODEMO_GATEWAY_PORT";
    public const string GatewayHttpsPort = "MICRODEMO_GATEWAY_HTTPS_PORT";

    /// <summary>How many gateway processes run (default 1); more than one puts the nginx edge in front of them.</summary>
    public const string GatewayReplicas = "MICRODEMO_GATEWAY_REPLICAS";

    /// <summary>The replicas' own ports when the edge runs (default 5041, 5042, …), one per replica.</summary>
    public const string GatewayReplicaPorts = "MICRODEMO_GATEWAY_REPLICA_PORTS";

    /// <summary>1: the edge runs even in front of a single gateway.</summary>
    public const string Edge = "MICRODEMO_EDGE";

    /// <summary>Redis, started with the edge so the replicas share rate-limit counters and the cache.</summary>
    public const string RedisPort = "MICRODEMO_REDIS_PORT";

    /// <summary>Per-instance override of one orders port: MICRODEMO_ORDERS_1_PORT, MICRODEMO_ORDERS_2_PORT, …</summary>
    public static string OrdersInstancePort(int instance) => $"MICRODEMO_ORDERS_{instance}_PORT";
}
