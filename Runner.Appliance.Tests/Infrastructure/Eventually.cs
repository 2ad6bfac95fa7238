using System.Diagnostics;

namespace Runner.Appliance.Tests.Infrastructure;

/// <summary>
/// The one way tests wait for something that happens elsewhere (a server starting, a background write
/// landing): poll a condition every <see cref="Interval"/> until it holds, or fail naming what was awaited
/// and the last value seen. Never sleep for a fixed time instead. An exception thrown by the condition ends
/// the wait at once (a peer that exited will not start listening later).
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="awaited">What is awaited, as the failure should name it: "vcsim to answer on port 4431".</param>
    /// <param name="detail">Appended to the failure message (a peer's output, say); read only on failure.</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string awaited, Func<string>? detail = null) =>
        await UntilAsync(condition, done => done, timeout, awaited, detail);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="accept"/> takes its value, and returns that value.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, string awaited, Func<string>? detail = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (accept(value))
                return value;
            if (clock.Elapsed >= timeout)
                throw Failure(timeout, awaited, value, detail);
            await Task.Delay(Interval);
        }
    }

    /// <summary>The blocking form, for fixture constructors that start a peer before any test runs.</summary>
    public static void Until(Func<bool> condition, TimeSpan timeout, string awaited, Func<string>? detail = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= timeout)
                throw Failure(timeout, awaited, false, detail);
            Thread.Sleep(Interval);
        }
    }

    private static TimeoutException Failure<T>(TimeSpan timeout, string awaited, T last, Func<string>? detail)
    {
        var seen = last is bool ? "" : $" (last seen: {last})";
        var more = detail?.Invoke() is { Length: > 0 } text ? $": {text}" : "";
        return new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {awaited}{seen}{more}");
    }
}
