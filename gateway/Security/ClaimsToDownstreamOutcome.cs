using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace MicroDemo.Gateway.Security;

/// <summary>Claim values for the downstream request, or the 403 to answer with instead.</summary>
public sealed record ClaimsToDownstreamOutcome
{
    public static ClaimsToDownstreamOutcome Nothing { get; } = new();

    public IResult? Rejection { get; init; }

    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool ShouldContinue => Rejection is null;

    /// <summary>Request headers to set (replacing any the client sent).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Query parameters to set (replacing any of the same name).</summary>
    public IReadOnlyDictionary<string, string> QueryParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Values for <c>DownstreamPathTemplate</c> placeholders (names without braces); they win over captured ones.</summary>
    public IReadOnlyDictionary<string, string> PathPlaceholders { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Writes <see cref="Headers"/> and <see cref="QueryParameters"/> onto the request, for a forwarder that
    /// builds the downstream request from it.
    /// </summary>
    public void ApplyTo(HttpRequest request)
    {
        foreach (var (name, value) in Headers)
        {
            request.Headers[name] = value;
        }

        if (QueryParameters.Count > 0)
        {
            request.QueryString = ApplyTo(request.QueryString);
        }
    }

    /// <summary>Returns <paramref name="query"/> with <see cref="QueryParameters"/> set; other parameters keep their order.</summary>
    public QueryString ApplyTo(QueryString query)
    {
        if (QueryParameters.Count == 0)
        {
            return query;
        }

        var builder = new QueryBuilder();
        foreach (var (name, values) in QueryHelpers.ParseQuery(query.Value))
        {
            if (!QueryParameters.ContainsKey(name))
            {
                builder.Add(name, values.ToArray()!);
            }
        }

        foreach (var (name, value) in QueryParameters)
        {
            builder.Add(name, value);
        }

        return builder.ToQueryString();
    }
}
