namespace DynReg.Middleware.Stores;

/// <summary>
/// Thrown by a store when its backing service cannot be reached or did not answer in time
/// (a lost connection, a timeout). The endpoints answer <c>503</c> with
/// <c>temporarily_unavailable</c> instead of <c>500</c>; the request may be retried.
/// A store throws it only for writes that did not happen or that happened whole.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>With a generic message.</summary>
    public StoreUnavailableException()
        : base("The store is temporarily unavailable.")
    {
    }

    /// <summary>With <paramref name="message"/>.</summary>
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>With <paramref name="message"/> and the store client's own exception.</summary>
    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
