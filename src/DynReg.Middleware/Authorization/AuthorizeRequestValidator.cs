using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Authorization;

/// <summary>A validated <c>/authorize</c> request.</summary>
internal sealed record AuthorizeRequest
{
    public required Client Client { get; init; }

    public required string RedirectUri { get; init; }

    public required string ResponseType { get; init; }

    public required string ResponseMode { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public string? Audience { get; init; }

    public string? State { get; init; }

    public string? Nonce { get; init; }

    public string? CodeChallenge { get; init; }

    public string? CodeChallengeMethod { get; init; }

    public string? Connection { get; init; }

    public string? Prompt { get; init; }
}

/// <summary>
/// The outcome of validating <c>/authorize</c>: a request, or an error. Until the client and
/// its redirect URI are trusted an error is a page, never a redirect (RFC 6749 §4.1.2.1);
/// after that it is a redirect, except for strict-mode clients, which always get a page (Auth0's
/// open-redirect protection).
/// </summary>
internal sealed record AuthorizeValidation(AuthorizeRequest? Request, string? Error, string? Description, bool Redirect, string? RedirectUri, string? ResponseMode, string? State)
{
    public static AuthorizeValidation Valid(AuthorizeRequest request) => new(request, null, null, false, null, null, null);

    public static AuthorizeValidation Page(string error, string description) => new(null, error, description, false, null, null, null);
}

/// <summary>
/// Validates an authorization request (RFC 6749 §4.1.1/§4.2.1, OpenID Connect Core §3.1.2.1,
/// RFC 7636 §4.3). No I/O: the caller looks up the client and its allowed connections.
/// </summary>
internal static class AuthorizeRequestValidator
{
    private static readonly HashSet<string> StrictModeUnsupported = new(StringComparer.Ordinal)
    {
        "claims", "id_token_hint", "acr_values", "registration",
    };

    private static readonly HashSet<string> IdentityScopes = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess];

    public static bool IsTokenBearing(string responseType) => responseType != ResponseTypes.Code;

    public static AuthorizeValidation Validate(IQueryCollection query, Client? client, IReadOnlyList<Connection> allowedConnections, ApiRegistry apis)
    {
        // Client and redirect URI first; nothing is redirected until both are trusted (A1-A3).
        if (Single(query, Parameters.ClientId) is not { Length: > 0 } clientId || query[Parameters.ClientId].Count > 1)
        {
            return AuthorizeValidation.Page(Errors.InvalidRequest, "client_id is required, once.");
        }

        if (client is null)
        {
            return AuthorizeValidation.Page(Errors.InvalidClient, "Unknown client.");
        }

        // A disabled client (a registration policy, or the tenant owner) is not trusted to receive anything.
        if (client.IsDisabled)
        {
            return AuthorizeValidation.Page(Errors.UnauthorizedClient, "This client is disabled. The tenant owner must enable it first.");
        }

        if (query[Parameters.RedirectUri].Count != 1 || Single(query, Parameters.RedirectUri) is not { Length: > 0 } redirectUri)
        {
            return AuthorizeValidation.Page(Errors.InvalidRequest, "redirect_uri is required, once (OpenID Connect Core §3.1.2.1).");
        }

        if (!Protocol.RedirectUriRules.IsRegistered(redirectUri, client.RedirectUris))
        {
            return AuthorizeValidation.Page(Errors.InvalidRequest, "redirect_uri is not registered for this client.");
        }

        var strict = client.RegistrationSecurityMode == DynamicClientRegistrationSecurityMode.Strict;
        var requestedType = Single(query, Parameters.ResponseType);
        var responseType = requestedType is null ? null : Clients.ClientRules.NormaliseResponseType(requestedType);
        var state = query[Parameters.State].Count == 1 ? Single(query, Parameters.State) : null;

        // MRT §2.1/§5: token-bearing responses go in the fragment by default, never the query.
        var defaultMode = responseType is not null && IsTokenBearing(responseType) ? ResponseModes.Fragment : ResponseModes.Query;
        var requestedMode = Single(query, Parameters.ResponseMode);
        var responseMode = requestedMode is ResponseModes.Query or ResponseModes.Fragment or ResponseModes.FormPost ? requestedMode : defaultMode;

        AuthorizeValidation Fail(string error, string description)
            => strict
                ? AuthorizeValidation.Page(error, description)
                : new AuthorizeValidation(null, error, description, true, redirectUri, responseMode, state);

        // RFC 6749 §3.1: parameters MUST NOT be repeated (A21); RFC 8707 §2 lets resource repeat.
        foreach (var (name, values) in query)
        {
            if (values.Count > 1 && name != Parameters.Resource)
            {
                return Fail(Errors.InvalidRequest, $"The parameter '{Shorten(name)}' must not be repeated.");
            }
        }

        // OpenID Connect Core §6: request objects are not supported.
        if (query.ContainsKey(Parameters.Request))
        {
            return Fail(OidcErrors.RequestNotSupported, "Request objects are not supported.");
        }

        if (query.ContainsKey(Parameters.RequestUri))
        {
            return Fail(OidcErrors.RequestUriNotSupported, "request_uri is not supported.");
        }

        // Auth0's strict mode refuses what it does not support rather than ignoring it (A22 note).
        if (strict && query.Keys.FirstOrDefault(StrictModeUnsupported.Contains) is { } unsupported)
        {
            return Fail(Errors.InvalidRequest, $"The parameter '{unsupported}' is not supported.");
        }

        if (requestedMode is not null && requestedMode != responseMode)
        {
            return Fail(Errors.InvalidRequest, "response_mode must be query, fragment or form_post.");
        }

        // A4/A5: missing, unknown, or not registered for this client.
        if (string.IsNullOrEmpty(requestedType))
        {
            return Fail(Errors.InvalidRequest, "response_type is required.");
        }

        if (responseType is null)
        {
            return Fail(Errors.UnsupportedResponseType, "response_type must be code, token, id_token or id_token token.");
        }

        if (!client.ResponseTypes.Contains(responseType))
        {
            return Fail(Errors.UnauthorizedClient, $"The client may not use response_type '{responseType}'.");
        }

        // MRT §5: "query encoding MUST NOT be used" for token-bearing responses.
        if (IsTokenBearing(responseType) && responseMode == ResponseModes.Query)
        {
            return Fail(Errors.InvalidRequest, "Tokens are never returned in the query: use response_mode fragment or form_post.");
        }

        var scopes = (Single(query, Parameters.Scope) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        var returnsIdToken = responseType.Contains(ResponseTypes.IdToken, StringComparison.Ordinal);

        // A11 (decided as node-oidc-provider does): an ID token needs the openid scope.
        if (returnsIdToken && !scopes.Contains(Scopes.OpenId))
        {
            return Fail(Errors.InvalidRequest, "response_type id_token requires the openid scope.");
        }

        // A8: OpenID Connect Core §3.2.2.1, nonce is REQUIRED when an ID token comes from /authorize.
        var nonce = Single(query, Parameters.Nonce);
        if (returnsIdToken && string.IsNullOrEmpty(nonce))
        {
            return Fail(Errors.InvalidRequest, "nonce is required when an ID token is returned from the authorization endpoint.");
        }

        // A12: the API must be one of the tenant's; user tokens for the Management API are not offered.
        // RFC 8707 §2: resource names it too; Auth0's audience wins when both are sent.
        var target = ResourceIndicators.Read(Single(query, Parameters.Audience), [.. query[Parameters.Resource].Select(v => v ?? string.Empty)]);
        if (target.Error is { } targetProblem)
        {
            return Fail(Errors.InvalidTarget, targetProblem);
        }

        var audience = target.Identifier;
        ApiResource? api = null;
        if (audience is not null)
        {
            api = apis.Find(audience);
            if (api is null || api.Identifier == apis.ManagementAudience)
            {
                return target.FromResource
                    ? Fail(Errors.InvalidTarget, ResourceIndicators.UnknownResource(audience))
                    : Fail(Errors.InvalidScope, $"Unknown audience '{Shorten(audience)}'.");
            }
        }

        // RFC 7591 §2: a client that registered a scope gets nothing outside it.
        var registered = client.Scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var scope in scopes)
        {
            if (!IdentityScopes.Contains(scope) && (api is null || !api.Scopes.Contains(scope)))
            {
                return Fail(Errors.InvalidScope, $"Unknown scope '{Shorten(scope)}'.");
            }

            if (registered is not null && !registered.Contains(scope, StringComparer.Ordinal))
            {
                return Fail(Errors.InvalidScope, $"The client did not register the scope '{Shorten(scope)}'.");
            }
        }

        // RFC 7636 §4.3 and RFC 9700 §2.1.1: S256 only; required for public and strict clients (A15, A16).
        var challenge = Single(query, Parameters.CodeChallenge);
        var challengeMethod = Single(query, Parameters.CodeChallengeMethod);
        if (challenge is null && challengeMethod is not null)
        {
            return Fail(Errors.InvalidRequest, "code_challenge_method without code_challenge.");
        }

        if (challenge is not null)
        {
            if ((challengeMethod ?? "plain") != CodeChallengeMethods.S256)
            {
                return Fail(Errors.InvalidRequest, "code_challenge_method must be S256.");
            }

            if (challenge.Length != 43 || !challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return Fail(Errors.InvalidRequest, "code_challenge must be the base64url SHA-256 of the code_verifier (43 characters).");
            }
        }

        var publicClient = client.TokenEndpointAuthMethod == ClientAuthenticationMethods.None;
        if (responseType == ResponseTypes.Code && challenge is null && (publicClient || strict))
        {
            return Fail(Errors.InvalidRequest, "code_challenge is required (PKCE with S256).");
        }

        // OpenID Connect Core §3.1.2.1: prompt is a set; none stands alone.
        var prompt = Single(query, Parameters.Prompt);
        if (prompt is not null)
        {
            var prompts = prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (prompts.Any(p => p is not (Prompts.None or Prompts.Login or Prompts.Consent)) || (prompts.Contains(Prompts.None) && prompts.Length > 1))
            {
                return Fail(Errors.InvalidRequest, "prompt must be none, login or consent; none stands alone.");
            }
        }

        // C6: a third-party client signs in only through domain connections.
        var connection = Single(query, Parameters.Connection);
        if (!string.IsNullOrEmpty(connection) && !allowedConnections.Any(c => string.Equals(c.Name, connection, StringComparison.OrdinalIgnoreCase)))
        {
            return Fail(Errors.InvalidRequest, $"The connection '{Shorten(connection)}' is not enabled for this client.");
        }

        return AuthorizeValidation.Valid(new AuthorizeRequest
        {
            Client = client,
            RedirectUri = redirectUri,
            ResponseType = responseType,
            ResponseMode = responseMode,
            Scopes = scopes,
            Audience = audience,
            State = state,
            Nonce = nonce,
            CodeChallenge = challenge,
            CodeChallengeMethod = challenge is null ? null : CodeChallengeMethods.S256,
            Connection = string.IsNullOrEmpty(connection) ? null : allowedConnections.First(c => string.Equals(c.Name, connection, StringComparison.OrdinalIgnoreCase)).Name,
            Prompt = prompt,
        });
    }

    private static string? Single(IQueryCollection query, string name)
        => query.TryGetValue(name, out StringValues values) && values.Count > 0 ? values[0] : null;

    private static string Shorten(string value) => Protocol.QuotedValue.Shorten(value);
}
