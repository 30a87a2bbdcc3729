using System.Diagnostics.CodeAnalysis;

namespace MicroDemo.Gateway.Security;

/// <summary>What a security step decided: go on with the pipeline, or answer with <see cref="Rejection"/>.</summary>
public readonly record struct SecurityOutcome(IResult? Rejection)
{
    public static SecurityOutcome Continue => default;

    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool ShouldContinue => Rejection is null;

    public static SecurityOutcome Reject(IResult rejection) => new(rejection);

    /// <summary>Writes the rejection, if any; true when the request has been answered.</summary>
    public async ValueTask<bool> WriteIfRejectedAsync(HttpContext context)
    {
        if (Rejection is null)
        {
            return false;
        }

        await Rejection.ExecuteAsync(context);
        return true;
    }
}
