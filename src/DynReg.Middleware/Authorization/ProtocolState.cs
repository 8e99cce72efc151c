namespace DynReg.Middleware.Authorization;

/// <summary>
/// A validated <c>/authorize</c> request waiting for the user: the login page and the
/// credential post refer to it by <see cref="Id"/> (Lock's <c>internalOptions.state</c>),
/// so nothing the browser posts later can change what the client asked for.
/// </summary>
internal sealed record LoginTransaction
{
    public required string Id { get; init; }

    public required string ClientId { get; init; }

    public required string RedirectUri { get; init; }

    public required string ResponseType { get; init; }

    public required string ResponseMode { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public string? Audience { get; init; }

    /// <summary>The client's own <c>state</c>, echoed unchanged on the final redirect.</summary>
    public string? State { get; init; }

    public string? Nonce { get; init; }

    public string? CodeChallenge { get; init; }

    public string? CodeChallengeMethod { get; init; }

    /// <summary>A connection the client forced with <c>connection=</c>.</summary>
    public string? Connection { get; init; }

    public string? Prompt { get; init; }

    /// <summary>Posted back by the login page (<c>_csrf</c>).</summary>
    public required string CsrfToken { get; init; }

    /// <summary>The value of the browser's binding cookie when the transaction began.</summary>
    public required string BrowserBinding { get; init; }

    /// <summary>Set once the user signed in and consent is pending.</summary>
    public string? ConsentSubject { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Proof of a successful credential check, redeemed once at <c>/login/callback</c>.</summary>
internal sealed record LoginTicket(string TransactionId, string ConnectionName, SignedInUser User);

/// <summary>The signed-in user as the session and the tokens carry it.</summary>
internal sealed record SignedInUser
{
    public required string Subject { get; init; }

    public required string ConnectionName { get; init; }

    public DateTimeOffset AuthTime { get; init; }

    public string? Email { get; init; }

    public bool EmailVerified { get; init; }

    public string? Name { get; init; }

    public string? Nickname { get; init; }

    public string? Picture { get; init; }
}

/// <summary>An authorization code's grant (RFC 6749 §4.1.2), bound to client, redirect URI and PKCE challenge.</summary>
internal sealed record AuthorizationCodeGrant
{
    public required string ClientId { get; init; }

    public required string RedirectUri { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public string? Audience { get; init; }

    public string? Nonce { get; init; }

    public string? CodeChallenge { get; init; }

    public required SignedInUser User { get; init; }
}

/// <summary>A refresh token's grant; <see cref="FamilyId"/> ties rotated tokens together for reuse detection.</summary>
internal sealed record RefreshTokenGrant
{
    public required string FamilyId { get; init; }

    public required string ClientId { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public string? Audience { get; init; }

    public required SignedInUser User { get; init; }
}
