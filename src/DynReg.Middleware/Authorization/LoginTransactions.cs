using DynReg.Middleware.Hosting;

namespace DynReg.Middleware.Authorization;

/// <summary>
/// Validated <c>/authorize</c> requests waiting for the user. Plain save, find and remove with an
/// expiry: a transaction is looked up several times (login page, credential post, consent).
/// </summary>
internal sealed class LoginTransactions(ProtocolStateRepository state)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private const string Prefix = "tx:";

    public Task SaveAsync(LoginTransaction transaction, CancellationToken cancellationToken)
        => state.SetAsync(Prefix + transaction.Id, transaction, DynRegJsonContext.Default.LoginTransaction, Lifetime, cancellationToken);

    public Task<LoginTransaction?> FindAsync(string id, CancellationToken cancellationToken)
        => state.GetAsync(Prefix + id, DynRegJsonContext.Default.LoginTransaction, cancellationToken);

    public Task RemoveAsync(string id, CancellationToken cancellationToken) => state.RemoveAsync(Prefix + id, cancellationToken);
}

/// <summary>Proofs of a successful credential check, each redeemed once at <c>/login/callback</c>.</summary>
internal sealed class LoginTickets(ProtocolStateRepository state)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const string Prefix = "ticket:";

    /// <summary>Stores the ticket and returns its value, the only copy of which goes to the browser.</summary>
    public Task<string> CreateAsync(LoginTicket ticket, CancellationToken cancellationToken)
        => state.CreateCredentialAsync(Prefix, ticket, DynRegJsonContext.Default.LoginTicket, Lifetime, cancellationToken);

    /// <summary>The ticket, once: null when unknown, expired or already redeemed.</summary>
    public Task<LoginTicket?> RedeemAsync(string value, CancellationToken cancellationToken)
        => state.TakeAsync(ProtocolStateRepository.Key(Prefix, value), DynRegJsonContext.Default.LoginTicket, cancellationToken);
}
