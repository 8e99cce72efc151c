namespace DynReg.Middleware.Stores;

/// <summary>Outcome of a store write that can conflict.</summary>
public enum StoreWriteStatus
{
    /// <summary>The write happened.</summary>
    Succeeded,

    /// <summary>No record has that id.</summary>
    NotFound,

    /// <summary>A record with that id exists; nothing was written.</summary>
    DuplicateId,

    /// <summary>A connection with that name exists; nothing was written.</summary>
    DuplicateName,
}

/// <summary>A store write's status and, when it succeeded, the record as stored.</summary>
public readonly record struct StoreWriteResult<T>(StoreWriteStatus Status, T? Value) where T : class
{
    /// <summary>True when <see cref="Status"/> is <see cref="StoreWriteStatus.Succeeded"/>.</summary>
    public bool Succeeded => Status == StoreWriteStatus.Succeeded;

    /// <summary>A successful write and the record as stored.</summary>
    public static StoreWriteResult<T> Success(T value) => new(StoreWriteStatus.Succeeded, value);

    /// <summary>A refused write.</summary>
    public static StoreWriteResult<T> Failure(StoreWriteStatus status) => new(status, null);
}

/// <summary>One page of a listing, with the total across all pages (Auth0's <c>include_totals</c>).</summary>
public sealed record StorePage<T>(IReadOnlyList<T> Items, int Total);
