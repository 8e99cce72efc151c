namespace DynReg.Middleware.Stores.InMemory;

/// <summary>
/// A record with its creation sequence number, so listings keep creation order. A class
/// rather than a record: compare-and-swap must compare references, not values.
/// </summary>
internal sealed class Sequenced<T>(long sequence, T value)
{
    public long Sequence { get; } = sequence;

    public T Value { get; } = value;

    public Sequenced<T> With(T value) => new(Sequence, value);

    public static StorePage<T> Page(IEnumerable<Sequenced<T>> entries, int page, int perPage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perPage);
        var snapshot = entries.ToArray();
        Array.Sort(snapshot, static (a, b) => a.Sequence.CompareTo(b.Sequence));
        var items = snapshot.Skip((int)Math.Min((long)page * perPage, int.MaxValue)).Take(perPage).Select(e => e.Value).ToArray();
        return new StorePage<T>(items, snapshot.Length);
    }
}
