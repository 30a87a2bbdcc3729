using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MicroDemo.ServiceDefaults.Http;

/// <summary>
/// Turns the framework's <see cref="BadHttpRequestException"/> (unreadable JSON body, bad route value, ...)
/// into a 400 problem that says which parameter was wrong. Everything else falls through to the default
/// handler: a 500 problem with a trace id and no exception details.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        context.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = "The request is malformed.",
                // The framework's message names the parameter and never carries a stack trace.
                Detail = badRequest.Message,
            },
        });
    }
}
