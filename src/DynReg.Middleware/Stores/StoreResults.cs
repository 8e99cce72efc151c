namespace DynReg.Middleware.Stores;

/// <summary>Outcome of a store write that can conflict.</summary>
public enum StoreWriteStatus
{
    Succeeded,
    NotFound,
    DuplicateId,
    DuplicateName,
}

/// <summary>A store write's status and, when it succeeded, the record as stored.</summary>
public readonly record struct StoreWriteResult<T>(StoreWriteStatus Status, T? Value) where T : class
{
    public bool Succeeded => Status == StoreWriteStatus.Succeeded;

    public static StoreWriteResult<T> Success(T value) => new(StoreWriteStatus.Succeeded, value);

    public static StoreWriteResult<T> Failure(StoreWriteStatus status) => new(status, null);
}

/// <summary>One page of a listing, with the total across all pages (Auth0's <c>include_totals</c>).</summary>
public sealed record StorePage<T>(IReadOnlyList<T> Items, int Total);
