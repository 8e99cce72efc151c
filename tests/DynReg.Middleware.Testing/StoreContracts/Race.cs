using Shouldly;

namespace DynReg.Middleware.Testing.StoreContracts;

/// <summary>
/// Makes races happen on purpose: <see cref="AllAtOnceAsync"/> makes them likely (stress),
/// <see cref="WriteInside{T, TResult}"/> makes one certain, so a store whose update is not
/// atomic fails every time, not only on a lucky run.
/// </summary>
public static class Race
{
    private const int Starters = 8;

    /// <summary>
    /// Starts <paramref name="body"/> for every item from several threads of their own, released
    /// together, then awaits them all. The thread pool or a parallel loop tends to run calls that
    /// complete synchronously (an in-memory store) one after another on one thread; dedicated
    /// threads overlap them for real, and a store that answers asynchronously gets them all in flight.
    /// </summary>
    public static async Task AllAtOnceAsync<T>(IEnumerable<T> items, Func<T, Task> body)
    {
        var all = items.ToArray();
        var tasks = new Task[all.Length];
        using var go = new ManualResetEventSlim();
        var threads = new Thread[Math.Min(Starters, all.Length)];
        var started = new TaskCompletionSource[threads.Length];
        for (var t = 0; t < threads.Length; t++)
        {
            var first = t;
            var done = started[t] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            threads[t] = new Thread(() =>
            {
                go.Wait();
                for (var i = first; i < all.Length; i += threads.Length)
                {
                    try
                    {
                        tasks[i] = body(all[i]);
                    }
                    catch (Exception exception)
                    {
                        tasks[i] = Task.FromException(exception);
                    }
                }

                done.SetResult();
            })
            { IsBackground = true, Name = $"store contract: starter {t}" };
            threads[t].Start();
        }

        go.Set();
        await Task.WhenAll(started.Select(s => s.Task));
        await Task.WhenAll(tasks);
    }

    /// <summary>Returns <paramref name="value"/> after a short busy wait: pure, no sleep, and a wider race window.</summary>
    public static T Widen<T>(T value)
    {
        Thread.SpinWait(2_000);
        return value;
    }

    /// <summary>
    /// Wraps an update delegate so that its first call, which a store makes between reading the
    /// record and writing it, runs <paramref name="otherWrite"/> on another thread and waits for it.
    /// A store that serialises writes with a lock makes the other write wait instead; the bounded
    /// wait then lets this update finish first, which is an equally valid order.
    /// </summary>
    public static WriteInside<T, TResult> WriteInside<T, TResult>(Func<T, T> change, Func<Task<TResult>> otherWrite)
        => new(change, otherWrite);
}

/// <summary>An update delegate with another write inside it; see <see cref="Race.WriteInside{T, TResult}"/>.</summary>
public sealed class WriteInside<T, TResult>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(100);
    private readonly TaskCompletionSource<TResult> _otherWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _called;

    internal WriteInside(Func<T, T> change, Func<Task<TResult>> otherWrite)
    {
        Change = current =>
        {
            if (Interlocked.Exchange(ref _called, 1) == 0)
            {
                // A thread of its own: under load the thread pool may not run it for a long time.
                var thread = new Thread(() =>
                {
                    try
                    {
                        _otherWrite.SetResult(otherWrite().GetAwaiter().GetResult());
                    }
                    catch (Exception exception)
                    {
                        _otherWrite.SetException(exception);
                    }
                })
                { IsBackground = true, Name = "store contract: write inside an update" };
                thread.Start();
                thread.Join(Patience);
            }

            return change(current);
        };
    }

    /// <summary>The delegate to hand to the store's <c>UpdateAsync</c>.</summary>
    public Func<T, T> Change { get; }

    /// <summary>The result of the write that ran inside the update.</summary>
    public Task<TResult> OtherWrite
    {
        get
        {
            Volatile.Read(ref _called).ShouldBe(1, "the store never called the update delegate");
            return _otherWrite.Task;
        }
    }
}
