namespace MicroDemo.ServiceDefaults.Authentication;

/// <summary>What the gateway and every service agree on when they validate a token of the MicroDemo token service.</summary>
public static class TokenValidationDefaults
{
    /// <summary>
    /// Tolerance for clock differences when checking <c>exp</c> and <c>nbf</c>. One value for the gateway and the
    /// services, so a token that just expired is not accepted by the gateway and then refused by the service behind
    /// it (JwtBearer's own default is 5 minutes); the token service keeps retired signing keys this much longer.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
}
