using System.Text.Encodings.Web;
using System.Text.Json;
using OpenIddict.Server;
using Microsoft.AspNetCore;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MicroDemo.Identity.Token;

/// <summary>
/// Token responses as one line of JSON. OpenIddict indents its JSON; scripts (the README, the walkthrough, bench/run.sh)
/// pick the access token out of the one-line form with sed, as they always have. Runs after OpenIddict has set the status
/// and headers, in place of its writer.
/// </summary>
public sealed class CompactTokenResponse : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<CompactTokenResponse>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyTokenResponseContext>.Descriptor.Order - 1)
            .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        var response = context.Transaction.GetHttpRequest()?.HttpContext.Response
            ?? throw new InvalidOperationException("The token response has no HTTP response to write to.");
        response.ContentType = "application/json;charset=UTF-8";
        await JsonSerializer.SerializeAsync(response.Body, context.Response, Compact, context.CancellationToken);
        context.HandleRequest();
    }
}
