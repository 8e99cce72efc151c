using DynReg.Middleware.Authorization;
using DynReg.Middleware.Hosting;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// Refresh tokens with rotation (RFC 6749 §6; RFC 9700 §4.14.2): each works once, and a second
/// use of one revokes its whole family, the tokens rotated from the same sign-in.
/// <see cref="RotateAsync"/> runs that protocol and answers with a closed <see cref="RefreshRotation"/>.
/// </summary>
internal sealed class RefreshTokens(ProtocolStateRepository state, IOptions<DynamicRegistrationOptions> options)
{
    private const string TokenPrefix = "rt:";
    private const string UsedPrefix = "rt-used:";
    private const string RevokedPrefix = "rt-revoked:";

    private TimeSpan Lifetime => options.Value.RefreshTokenLifetime;

    /// <summary>Stores the grant and returns the token, the only copy of which goes to the client.</summary>
    public Task<string> CreateAsync(RefreshTokenGrant grant, CancellationToken cancellationToken)
        => state.CreateCredentialAsync(TokenPrefix, grant, DynRegJsonContext.Default.RefreshTokenGrant, Lifetime, cancellationToken);

    /// <summary>
    /// The grant of a live token without using it up, so that a request asking for more than was
    /// granted is refused while the token stays usable. Never a substitute for <see cref="RotateAsync"/>.
    /// </summary>
    public Task<RefreshTokenGrant?> PeekAsync(string token, CancellationToken cancellationToken)
        => state.GetAsync(ProtocolStateRepository.Key(TokenPrefix, token), DynRegJsonContext.Default.RefreshTokenGrant, cancellationToken);

    /// <summary>
    /// Uses a refresh token up. Of concurrent rotations of one token exactly one is
    /// <see cref="RefreshRotation.Rotated"/>; a later one is <see cref="RefreshRotation.Reused"/>,
    /// with the family revoked by then; a token of a revoked family, or an unknown one, is
    /// <see cref="RefreshRotation.Revoked"/>.
    /// </summary>
    public async Task<RefreshRotation> RotateAsync(string token, CancellationToken cancellationToken)
    {
        var usedKey = ProtocolStateRepository.Key(UsedPrefix, token);
        var (grant, reusedFamily) = await state.TakeOrFindUseAsync(
            ProtocolStateRepository.Key(TokenPrefix, token), usedKey, DynRegJsonContext.Default.RefreshTokenGrant, cancellationToken);
        if (grant is null)
        {
            if (reusedFamily is null)
            {
                return RefreshRotation.Revoked.Instance;
            }

            await RevokeFamilyAsync(reusedFamily, cancellationToken);
            return new RefreshRotation.Reused(reusedFamily);
        }

        // The family is checked before the token is marked used: a copy presented once the mark is
        // there is reuse and revokes the family, successor included, but it can no longer revoke the
        // family between this winner's take and its check, which would leave no rotation at all.
        var revoked = await IsFamilyRevokedAsync(grant.FamilyId, cancellationToken);
        await state.SetTextAsync(usedKey, grant.FamilyId, Lifetime, cancellationToken);
        return revoked ? RefreshRotation.Revoked.Instance : new RefreshRotation.Rotated(grant);
    }

    /// <summary>Revokes every token of a family, those issued and those still to be rotated from them.</summary>
    public Task RevokeFamilyAsync(string familyId, CancellationToken cancellationToken)
        => state.SetTextAsync(RevokedPrefix + familyId, "1", Lifetime, cancellationToken);

    private async Task<bool> IsFamilyRevokedAsync(string familyId, CancellationToken cancellationToken)
        => await state.GetTextAsync(RevokedPrefix + familyId, cancellationToken) is not null;
}

/// <summary>What presenting a refresh token came to.</summary>
internal abstract record RefreshRotation
{
    private RefreshRotation()
    {
    }

    /// <summary>First use: the grant to issue a successor from, in the same family.</summary>
    public sealed record Rotated(RefreshTokenGrant Grant) : RefreshRotation;

    /// <summary>Used before: a sign of theft, so <see cref="FamilyId"/> is revoked now.</summary>
    public sealed record Reused(string FamilyId) : RefreshRotation;

    /// <summary>Unknown, expired, or of a revoked family.</summary>
    public sealed record Revoked : RefreshRotation
    {
        public static readonly Revoked Instance = new();
    }
}
