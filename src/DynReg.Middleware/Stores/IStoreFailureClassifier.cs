namespace DynReg.Middleware.Stores;

/// <summary>
/// Recognises an exception from a store's client library (or from something else the store's
/// backing service holds, such as Data Protection keys) as a temporary outage, so the endpoints
/// answer <c>503</c> as they do for <see cref="StoreUnavailableException"/>. Store packages add one.
/// </summary>
public interface IStoreFailureClassifier
{
    /// <summary>True when <paramref name="exception"/> means the backing service cannot be reached right now.</summary>
    bool IsUnavailable(Exception exception);
}
