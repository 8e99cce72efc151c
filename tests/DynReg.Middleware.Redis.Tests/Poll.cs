using System.Diagnostics;

namespace DynReg.Middleware.Redis.Tests;

/// <summary>Bounded polling: asks again every 20 ms until the condition holds or the time is up.</summary>
public static class Poll
{
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > within)
            {
                throw new TimeoutException($"{what}: not within {within.TotalSeconds:0.#} s.");
            }

            await Task.Delay(20);
        }

        return clock.Elapsed;
    }
}
