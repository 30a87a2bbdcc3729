namespace MicroDemo.Testing;

/// <summary>Wait-until-condition helpers: poll briefly instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> when time runs out.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                last = e;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0}s waiting until {what}." +
                                   (last is null ? "" : $" Last error: {last.Message}"));
    }

    /// <summary>Polls a condition that needs no I/O (a counter, a captured log) until it holds.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Polls until <paramref name="probe"/> returns a value matching <paramref name="accept"/>, and returns it.</summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, string what, TimeSpan? timeout = null)
    {
        T value = default!;
        await TrueAsync(async () => accept(value = await probe()), what, timeout);
        return value;
    }
}
