using System.Net;

namespace MicroDemo.Gateway.Tests.Policies;

internal static class Requests
{
    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with the given headers (and body).</summary>
    public static Task<HttpResponseMessage> SendAsync(
        this HttpClient client, HttpMethod method, string path, string? body = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path, params (string Name, string Value)[] headers) =>
        client.SendAsync(HttpMethod.Get, path, body: null, headers);

    /// <summary>The single value of <paramref name="name"/>, or null when the response does not have it.</summary>
    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    /// <summary>Sends <paramref name="count"/> requests at once (released together) and returns their statuses.</summary>
    /// <param name="send">Sends request number i.</param>
    public static async Task<HttpStatusCode[]> BurstAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, count).Select(async i =>
        {
            await go.Task;
            using var response = await send(i);
            return response.StatusCode;
        }).ToList();
        go.SetResult();
        return await Task.WhenAll(requests);
    }
}
