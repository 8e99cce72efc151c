using System.Text;
using DynReg.Middleware.Login;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Authorization;

/// <summary>
/// Ends an authorization: asks for consent when a third-party client needs it, then answers
/// the client (a code, or tokens in the fragment) at its verified redirect URI, or redirects
/// an error there. Strict-mode clients get errors on a page instead (SPEC §4).
/// </summary>
internal sealed class AuthorizationResponder(
    LoginTransactions transactions,
    AuthorizationCodes codes,
    IConsentStore consents,
    UserTokenIssuer tokens,
    ApiRegistry apis,
    ClientUsage usage,
    Hosting.DynRegMetrics metrics,
    ILogger<AuthorizationResponder> logger)
{
    public const string ConsentPath = "/authorize/consent";

    /// <summary>After sign-in (or with a session): consent if needed, then the response.</summary>
    public async Task<IResult> CompleteAsync(HttpContext context, LoginTransaction transaction, SignedInUser user, Client client)
    {
        var cancellationToken = context.RequestAborted;
        var prompts = (transaction.Prompt ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!client.IsFirstParty)
        {
            // C7: a third-party client asks each user once; what was granted is remembered per audience.
            var granted = await consents.GetGrantedScopesAsync(user.Subject, client.ClientId, ConsentAudience(transaction), cancellationToken);
            var needed = prompts.Contains(Prompts.Consent) || granted.Count == 0 || !transaction.Scopes.All(granted.Contains);
            if (needed)
            {
                if (prompts.Contains(Prompts.None))
                {
                    return Error(transaction, client, OidcErrors.ConsentRequired, "The user has not consented to this client.");
                }

                var pending = transaction with { ConsentSubject = user.Subject };
                await transactions.SaveAsync(pending, cancellationToken);
                Log.ConsentShown(logger, client.ClientId);
                return HtmlPages.Consent(
                    client.ClientName ?? client.ClientId,
                    transaction.Audience is null ? null : apis.Find(transaction.Audience),
                    transaction.Scopes,
                    transaction.Id,
                    transaction.CsrfToken,
                    user.Email ?? user.Name ?? user.Subject,
                    context.Request.PathBase + ConsentPath,
                    transaction.RedirectUri);
            }
        }

        await transactions.RemoveAsync(transaction.Id, cancellationToken);
        return await IssueAsync(transaction, user, client, cancellationToken);
    }

    public async Task RecordConsentAsync(LoginTransaction transaction, SignedInUser user, CancellationToken cancellationToken)
        => await consents.GrantAsync(user.Subject, transaction.ClientId, ConsentAudience(transaction), transaction.Scopes, cancellationToken);

    /// <summary>The code or tokens, at the redirect URI (RFC 6749 §4.1.2, §4.2.2; OpenID Connect Core §3.2.2.5).</summary>
    public async Task<IResult> IssueAsync(LoginTransaction transaction, SignedInUser user, Client client, CancellationToken cancellationToken)
    {
        // Disabled while the user was signing in: nothing is issued, and nothing goes to its redirect URI.
        if (client.IsDisabled)
        {
            return HtmlPages.Error(StatusCodes.Status400BadRequest, Errors.UnauthorizedClient, "This client is disabled. The tenant owner must enable it first.");
        }

        var parameters = new List<KeyValuePair<string, string>>();
        if (transaction.ResponseType == ResponseTypes.Code)
        {
            var code = await codes.CreateAsync(new AuthorizationCodeGrant
            {
                ClientId = client.ClientId,
                RedirectUri = transaction.RedirectUri,
                Scopes = transaction.Scopes,
                Audience = transaction.Audience,
                Nonce = transaction.Nonce,
                CodeChallenge = transaction.CodeChallenge,
                User = user,
            }, cancellationToken);
            parameters.Add(new(Parameters.Code, code));
        }
        else
        {
            // A10: implicit answers never carry a refresh token or a code.
            string? accessToken = null;
            if (transaction.ResponseType.Contains(ResponseTypes.Token, StringComparison.Ordinal) && transaction.ResponseType != ResponseTypes.IdToken)
            {
                accessToken = await tokens.IssueAccessTokenAsync(user, client.ClientId, transaction.Audience, transaction.Scopes, cancellationToken);
                parameters.Add(new(Parameters.AccessToken, accessToken));
                parameters.Add(new(Parameters.TokenType, "Bearer"));
                parameters.Add(new(Parameters.ExpiresIn, ((long)tokens.AccessTokenLifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                parameters.Add(new(Parameters.Scope, string.Join(' ', transaction.Scopes)));
            }

            if (transaction.ResponseType.StartsWith(ResponseTypes.IdToken, StringComparison.Ordinal))
            {
                parameters.Add(new(Parameters.IdToken, await tokens.IssueIdTokenAsync(user, client.ClientId, transaction.Nonce, accessToken, transaction.Scopes, cancellationToken)));
            }

            metrics.TokenIssued(GrantTypes.Implicit);
        }

        if (transaction.State is not null)
        {
            parameters.Add(new(Parameters.State, transaction.State));
        }

        Log.AuthorizationIssued(logger, client.ClientId, transaction.ResponseType);
        await usage.RecordAsync(client, cancellationToken);
        return Redirect(transaction.RedirectUri, transaction.ResponseMode, parameters, tokens.Issuer);
    }

    /// <summary>An error for a trusted client and redirect URI: redirected, or a page for strict-mode clients.</summary>
    public IResult Error(LoginTransaction transaction, Client client, string error, string description)
        => client.RegistrationSecurityMode == DynamicClientRegistrationSecurityMode.Strict
            ? HtmlPages.Error(StatusCodes.Status400BadRequest, error, description)
            : RedirectError(transaction.RedirectUri, transaction.ResponseMode, error, description, transaction.State);

    /// <summary>RFC 6749 §4.1.2.1 / §4.2.2.1: error, error_description and the client's state.</summary>
    public IResult RedirectError(string redirectUri, string responseMode, string error, string description, string? clientState)
    {
        var parameters = new List<KeyValuePair<string, string>> { new(Parameters.Error, error), new(Parameters.ErrorDescription, description) };
        if (clientState is not null)
        {
            parameters.Add(new(Parameters.State, clientState));
        }

        return Redirect(redirectUri, responseMode, parameters, tokens.Issuer);
    }

    // RFC 9207 §2: every authorization response, success or error, names the issuer (mix-up defence).
    private static IResult Redirect(string redirectUri, string responseMode, List<KeyValuePair<string, string>> parameters, string issuer)
    {
        parameters.Add(new(Parameters.Issuer, issuer));
        if (responseMode == ResponseModes.FormPost)
        {
            return HtmlPages.FormPost(redirectUri, parameters);
        }

        var encoded = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            encoded.Append(encoded.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        // The registered URI may carry a query of its own (RFC 6749 §3.1.2): keep it, append ours.
        var location = responseMode == ResponseModes.Fragment
            ? redirectUri + "#" + encoded
            : redirectUri + (redirectUri.Contains('?') ? "&" : "?") + encoded;
        return HtmlPages.Redirect(location);
    }

    private string ConsentAudience(LoginTransaction transaction) => transaction.Audience ?? tokens.UserInfoAudience;
}
