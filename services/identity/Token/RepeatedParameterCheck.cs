using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MicroDemo.Identity.Token;

/// <summary>
/// RFC 6749 §3.2: request parameters must not be repeated. OpenIddict keeps a repeated form field as an array and
/// reads its first value; refusing the request is safer than guessing which value the client meant.
/// </summary>
public sealed class RepeatedParameterCheck : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<RepeatedParameterCheck>()
            .SetOrder(int.MinValue + 100_000)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var repeated = context.Request.GetParameters().FirstOrDefault(parameter => parameter.Value.Count > 1).Key;
        if (repeated is not null)
        {
            context.Reject(Errors.InvalidRequest, $"The parameter '{Echo(repeated)}' is given more than once.");
        }

        return ValueTask.CompletedTask;
    }

    // error_description may hold printable ASCII only, without quote or backslash (RFC 6749 §5.2).
    private static string Echo(string value) =>
        string.Concat(value.Take(64).Select(c => c is >= '\x20' and <= '\x7E' and not '"' and not '\\' ? c : '?'));
}
