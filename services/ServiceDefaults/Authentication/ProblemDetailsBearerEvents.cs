using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MicroDemo.ServiceDefaults.Authentication;

/// <summary>
/// Bearer challenges and refusals as problem+json, keeping the <c>WWW-Authenticate</c> header of RFC 6750 §3.
/// When the token service cannot be reached the answer is 503, not 401: the token may be fine and the client
/// should retry rather than fetch a new one.
/// </summary>
internal sealed class ProblemDetailsBearerEvents : JwtBearerEvents
{
    public override async Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        // Without metadata the token handler can only report the token as invalid (unknown issuer or key);
        // asking the configuration manager tells that case apart from a token that really is bad.
        if (context.Options.ConfigurationManager is { } metadata && !await IsAvailableAsync(metadata, context.HttpContext.RequestAborted))
        {
            context.Fail(new IssuerUnavailableException(context.Exception));
        }
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        if (context.AuthenticateFailure is IssuerUnavailableException)
        {
            return BearerProblems.UnavailableAsync(
                context.HttpContext,
                "The signing keys of the token service could not be fetched to validate the access token; try again later.");
        }

        var description = context.AuthenticateFailure is { } failure ? TokenFailureDescription.Of(failure) : null;
        return BearerProblems.UnauthorizedAsync(context.HttpContext, description);
    }

    public override Task Forbidden(ForbiddenContext context) => BearerProblems.ForbiddenAsync(context.HttpContext);

    private static async Task<bool> IsAvailableAsync(IConfigurationManager<OpenIdConnectConfiguration> metadata, CancellationToken cancellationToken)
    {
        try
        {
            await metadata.GetConfigurationAsync(cancellationToken);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>The token service's metadata or keys could not be fetched.</summary>
internal sealed class IssuerUnavailableException(Exception inner)
    : Exception("The token service's metadata could not be fetched.", inner);
