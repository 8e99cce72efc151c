using DynReg.Middleware.Clients;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Management;

/// <summary>
/// The members of a client the tenant owner may change; null members are left as they are.
/// A client's id, secret and party never change this way (C8): the secret only by rotation.
/// </summary>
internal sealed record ClientPatch(string? Name = null, IReadOnlyList<string>? RedirectUris = null, string? LogoUri = null, bool? IsDisabled = null)
{
    public Client ApplyTo(Client current) => current with
    {
        ClientName = Name ?? current.ClientName,
        RedirectUris = RedirectUris ?? current.RedirectUris,
        LogoUri = LogoUri ?? current.LogoUri,
        IsDisabled = IsDisabled ?? current.IsDisabled,
    };
}

/// <summary>One page of a client search: the matches, whether more follow, and whether the scan stopped at its bound.</summary>
internal sealed record ClientSearchPage(IReadOnlyList<Client> Items, bool HasMore, bool ScanLimitReached, int Scanned);

/// <summary>
/// The one way to change a client, for <c>/api/v2/clients</c> and the dashboard alike: validate
/// (the patch applied to the stored client, then <see cref="ClientRules"/> on the whole), write
/// atomically, one audit line per change.
/// </summary>
internal sealed class ClientService(IClientStore store, IOptions<DynamicRegistrationOptions> options, TimeProvider time, ILogger<ManagementLog> logger)
{
    public const int MaxNameLength = 256;

    /// <summary>A search reads at most this many clients (in creation order) looking for substring matches.</summary>
    public const int SearchScanLimit = 50_000;

    private const int SearchBatchSize = 10_000;

    public static readonly string NameRule = $"name must be a string of 1 to {MaxNameLength} characters";
    public static readonly string PublicClientHasNoSecret = "The client is public (token_endpoint_auth_method none) and has no secret.";

    private RegistrationOptions Limits => options.Value.Registration;

    /// <summary>Auth0's rule for <c>callbacks</c> as a member: an array of strings, bounded.</summary>
    public string CallbacksRule => $"callbacks must be an array of at most {Limits.MaxRedirectUris} URIs";

    /// <summary>Auth0's rule for <c>logo_uri</c>: the client rule for informational URIs.</summary>
    public string LogoUriRule => $"{ClientMembers.LogoUri.Name} {ClientRules.InformationUriRule(Limits)}";

    /// <summary>Null when <paramref name="name"/> may be stored (null means "not a string").</summary>
    public static string? CheckName(string? name) => name is { Length: > 0 and <= MaxNameLength } ? null : NameRule;

    /// <summary>
    /// Null when the patch may be applied to <paramref name="client"/>: first Auth0's rules for the
    /// members sent, then the client rules for the whole client the patch would leave, as registration
    /// checks it (so no change makes a client that registration would refuse).
    /// </summary>
    public string? Check(ClientPatch patch, Client client)
    {
        var memberProblem = (patch.Name is null ? null : CheckName(patch.Name))
            ?? (patch.RedirectUris?.Count > Limits.MaxRedirectUris ? CallbacksRule : null);
        if (memberProblem is not null)
        {
            return memberProblem;
        }

        var result = patch.ApplyTo(client);
        return ClientRules.Validate(ClientMapping.MetadataOf(result), ClientRuleContext.For(result, Limits))?.ManagementDescription;
    }

    public Task<Client?> FindAsync(string id, CancellationToken cancellationToken) => store.FindByIdAsync(id, cancellationToken);

    /// <summary>Clients in creation order; <paramref name="page"/> is zero-based. One store call.</summary>
    public Task<StorePage<Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken) => store.ListAsync(page, perPage, cancellationToken);

    /// <summary>
    /// Clients whose id equals <paramref name="query"/> (always found, one lookup), then those whose
    /// name or id contains it, ignoring case, from the first <see cref="SearchScanLimit"/> clients
    /// in creation order. The store has no text index, so this is a bounded scan.
    /// </summary>
    public async Task<ClientSearchPage> SearchAsync(string query, int page, int perPage, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perPage);
        var skip = (long)page * perPage;
        var wanted = skip + perPage + 1; // one more than the page, to know whether another follows
        var matches = new List<Client>();
        var exact = await store.FindByIdAsync(query, cancellationToken);
        if (exact is not null)
        {
            matches.Add(exact);
        }

        var scanned = 0;
        var limitReached = false;
        for (var batchIndex = 0; matches.Count < wanted; batchIndex++)
        {
            var batch = await store.ListAsync(batchIndex, SearchBatchSize, cancellationToken);
            foreach (var client in batch.Items)
            {
                if (matches.Count >= wanted)
                {
                    break;
                }

                if (client.ClientId != exact?.ClientId && Matches(client, query))
                {
                    matches.Add(client);
                }
            }

            scanned += batch.Items.Count;
            if (batch.Items.Count < SearchBatchSize || scanned >= batch.Total)
            {
                break;
            }

            if (scanned >= SearchScanLimit)
            {
                limitReached = matches.Count < wanted;
                break;
            }
        }

        var items = matches.Skip((int)Math.Min(skip, int.MaxValue)).Take(perPage).ToList();
        return new ClientSearchPage(items, matches.Count > skip + perPage, limitReached, scanned);
    }

    private static bool Matches(Client client, string query)
        => client.ClientId.Contains(query, StringComparison.OrdinalIgnoreCase)
            || (client.ClientName?.Contains(query, StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>
    /// Validates against the stored client, then merges atomically. Only the name, redirect URIs,
    /// logo and the disabled flag can change, and no rule ties them to a member another change could
    /// set, so the check against the stored client still holds for the latest one the merge sees.
    /// </summary>
    public async Task<ManagementOutcome<Client>> UpdateAsync(string id, ClientPatch patch, ManagementActor actor, CancellationToken cancellationToken)
    {
        var current = await store.FindByIdAsync(id, cancellationToken);
        if (current is null)
        {
            return ManagementOutcome<Client>.Failure(ManagementStatus.NotFound);
        }

        if (Check(patch, current) is { } problem)
        {
            return ManagementOutcome<Client>.Invalid(problem);
        }

        var now = time.GetUtcNow();
        var updated = await store.UpdateAsync(id, latest => patch.ApplyTo(latest) with { UpdatedAt = now }, cancellationToken);
        if (!updated.Succeeded)
        {
            return ManagementOutcome<Client>.Failure(ManagementStatus.NotFound);
        }

        ManagementLog.ClientUpdated(logger, id, actor.Name, actor.Channel);
        return ManagementOutcome<Client>.Success(updated.Value!);
    }

    /// <summary>A new secret, stored as its hash; the plaintext is in the outcome, to be shown once.</summary>
    public async Task<ManagementOutcome<(Client Client, string Secret)>> RotateSecretAsync(string id, ManagementActor actor, CancellationToken cancellationToken)
    {
        var current = await store.FindByIdAsync(id, cancellationToken);
        if (current is null)
        {
            return ManagementOutcome<(Client, string)>.Failure(ManagementStatus.NotFound);
        }

        if (current.TokenEndpointAuthMethod == OAuthConstants.ClientAuthenticationMethods.None)
        {
            return ManagementOutcome<(Client, string)>.Failure(ManagementStatus.NotSupported, PublicClientHasNoSecret);
        }

        var secret = ClientSecrets.Generate();
        var hash = ClientSecrets.Hash(secret);
        var now = time.GetUtcNow();
        var updated = await store.UpdateAsync(id, latest => latest with { ClientSecretHash = hash, UpdatedAt = now }, cancellationToken);
        if (!updated.Succeeded)
        {
            return ManagementOutcome<(Client, string)>.Failure(ManagementStatus.NotFound);
        }

        ManagementLog.ClientSecretRotated(logger, id, actor.Name, actor.Channel);
        return ManagementOutcome<(Client, string)>.Success((updated.Value!, secret));
    }

    public async Task<bool> DeleteAsync(string id, ManagementActor actor, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(id, cancellationToken))
        {
            return false;
        }

        ManagementLog.ClientDeleted(logger, id, actor.Name, actor.Channel);
        return true;
    }
}
