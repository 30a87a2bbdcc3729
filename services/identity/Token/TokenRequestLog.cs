using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MicroDemo.Identity.Token;

/// <summary>
/// One line per token request naming the client and the outcome, never a secret or a token: OpenIddict's own logs
/// are at Information too but say "the request was rejected" without the client, and operators ask "who".
/// </summary>
public sealed partial class TokenRequestLog(ILogger<TokenRequestLog> logger) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>().UseSingletonHandler<TokenRequestLog>().SetOrder(int.MinValue + 100_000).Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        var clientId = context.Request?.ClientId ?? "(none)";
        if (context.Error is { } error)
        {
            LogTokenRequestRejected(logger, clientId, error);
        }
        else
        {
            LogTokenIssued(logger, clientId, context.Request?.GrantType ?? "", context.Response.Scope ?? "");
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued a token to client {ClientId} ({GrantType}, scope '{Scope}')")]
    private static partial void LogTokenIssued(ILogger logger, string clientId, string grantType, string scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a token request from client {ClientId}: {Error}")]
    private static partial void LogTokenRequestRejected(ILogger logger, string clientId, string error);
}
