namespace MicroDemo.Identity.Options;

/// <summary>The <c>grant_type</c> values this service implements.</summary>
public static class GrantTypes
{
    public const string ClientCredentials = "client_credentials";

    /// <summary>
    /// Resource Owner Password Credentials (RFC 6749 §4.3). Here for teaching only: the client sees the
    /// user's password, so OAuth 2.0 Security BCP (RFC 9700) and OAuth 2.1 forbid it. Real applications
    /// use the authorization code flow with PKCE.
    /// </summary>
    public const string Password = "password";

    public static readonly IReadOnlyList<string> Supported = [ClientCredentials, Password];
}
