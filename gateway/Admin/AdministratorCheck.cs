using MicroDemo.Gateway.Security;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Admin;

/// <summary>
/// Whether a request carries a bearer token with the administration scope (<see cref="AdministrationOptions"/>),
/// checked by the same authentication and authorization steps as a route: the admin API asks it on every call, the
/// dashboard when it requires the admin scope.
/// </summary>
public sealed class AdministratorCheck(
    IOptions<AdministrationOptions> options, RouteAuthenticationStep authentication, RouteAuthorizationStep authorization)
{
    private static readonly Dictionary<string, string> NoPlaceholders = [];

    private readonly RouteAuthOptions _admin = new()
    {
        ProviderKeys = [options.Value.AuthenticationProviderKey],
        AllowedScopes = [options.Value.Scope],
    };

    /// <summary>Null when the caller holds the scope; otherwise the 401, 403 or 503 to answer, naming <paramref name="path"/>.</summary>
    public async ValueTask<IResult?> CheckAsync(HttpContext context, string path)
    {
        var authenticated = await authentication.AuthenticateAsync(context, path, _admin);
        if (!authenticated.ShouldContinue)
        {
            return authenticated.Rejection;
        }

        var authorized = authorization.Authorize(context, path, _admin, NoPlaceholders);
        return authorized.ShouldContinue ? null : authorized.Rejection;
    }
}
