using DynReg.Middleware.Authorization;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Protocol;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// Authorization codes (RFC 6749 §4.1.2): single use, short-lived, and a replay revokes what the
/// first redemption produced (§10.5; RFC 9700 §4.5.3). <see cref="RedeemAsync"/> runs that whole
/// protocol and answers with a closed <see cref="CodeRedemption"/>.
/// </summary>
internal sealed class AuthorizationCodes(ProtocolStateRepository state, RefreshTokens refreshTokens)
{
    /// <summary>RFC 6749 §4.1.2 recommends at most 10 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const string CodePrefix = "code:";
    private const string RedeemedPrefix = "code-used:";

    /// <summary>Stores the grant and returns the code, the only copy of which goes to the client.</summary>
    public Task<string> CreateAsync(AuthorizationCodeGrant grant, CancellationToken cancellationToken)
        => state.CreateCredentialAsync(CodePrefix, grant, DynRegJsonContext.Default.AuthorizationCodeGrant, Lifetime, cancellationToken);

    /// <summary>
    /// Redeems a code. Of concurrent redemptions of one code exactly one is
    /// <see cref="CodeRedemption.Redeemed"/>; a later one is <see cref="CodeRedemption.Replayed"/>,
    /// and the refresh-token family the first started is revoked by then.
    /// </summary>
    public async Task<CodeRedemption> RedeemAsync(string code, CancellationToken cancellationToken)
    {
        var redeemedKey = ProtocolStateRepository.Key(RedeemedPrefix, code);
        var (grant, replayedFamily) = await state.TakeOrFindUseAsync(
            ProtocolStateRepository.Key(CodePrefix, code), redeemedKey, DynRegJsonContext.Default.AuthorizationCodeGrant, cancellationToken);
        if (grant is null)
        {
            if (replayedFamily is null)
            {
                return CodeRedemption.Unknown.Instance;
            }

            // An empty mark is one written before every redemption named a family.
            if (replayedFamily.Length > 0)
            {
                await refreshTokens.RevokeFamilyAsync(replayedFamily, cancellationToken);
            }

            return new CodeRedemption.Replayed(replayedFamily);
        }

        // Every redemption names the family its refresh tokens (if any) will belong to, and the
        // mark is written before the caller checks anything else, so a replay is always recognised.
        var familyId = SecureRandom.Base64Url(16);
        await state.SetTextAsync(redeemedKey, familyId, Lifetime + Lifetime, cancellationToken);
        return new CodeRedemption.Redeemed(grant, familyId);
    }
}

/// <summary>What redeeming an authorization code came to.</summary>
internal abstract record CodeRedemption
{
    private CodeRedemption()
    {
    }

    /// <summary>First use: the grant, and the refresh-token family to issue into.</summary>
    public sealed record Redeemed(AuthorizationCodeGrant Grant, string FamilyId) : CodeRedemption;

    /// <summary>The code was redeemed before; <see cref="FamilyId"/> is revoked now.</summary>
    public sealed record Replayed(string FamilyId) : CodeRedemption;

    /// <summary>Never issued, or expired.</summary>
    public sealed record Unknown : CodeRedemption
    {
        public static readonly Unknown Instance = new();
    }
}
