using System.Text;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Http;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// Authenticates the client at the token endpoint (RFC 6749 §2.3): HTTP Basic
/// (<c>client_secret_basic</c>), credentials in the body (<c>client_secret_post</c>), or a
/// bare <c>client_id</c> for public clients. Exactly one method per request (§2.3).
/// A confidential client may use either secret method, whichever it registered: RFC 6749
/// §2.3.1 requires Basic, and Auth0's SDKs send the body form.
/// </summary>
internal sealed class ClientAuthenticator(IClientStore clients)
{
    // Compared against when the client is unknown, so both failures take the same time.
    private static readonly string UnknownClientHash = ClientSecrets.Hash(ClientSecrets.Generate());

    public async Task<ClientAuthenticationResult> AuthenticateAsync(
        HttpRequest request, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        parameters.TryGetValue(Metadata.ClientId, out var bodyClientId);
        parameters.TryGetValue(Metadata.ClientSecret, out var bodySecret);

        string? clientId;
        string? secret;
        var usedBasic = false;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (!TryParseBasic(authorization, out clientId, out secret))
            {
                return ClientAuthenticationResult.Fail(Errors.InvalidClient, "The Authorization header is not valid HTTP Basic client authentication.", basic: true);
            }

            if (bodySecret is not null)
            {
                return ClientAuthenticationResult.Fail(Errors.InvalidRequest, "Use one client authentication method: HTTP Basic or client_secret in the body, not both.");
            }

            if (bodyClientId is not null && bodyClientId != clientId)
            {
                return ClientAuthenticationResult.Fail(Errors.InvalidRequest, "client_id in the body differs from the one in the Authorization header.");
            }

            usedBasic = true;
        }
        else
        {
            clientId = bodyClientId;
            secret = bodySecret;
        }

        if (string.IsNullOrEmpty(clientId))
        {
            return ClientAuthenticationResult.Fail(Errors.InvalidClient, "Client authentication is required.", usedBasic);
        }

        var client = await clients.FindByIdAsync(clientId, cancellationToken);
        if (secret is null)
        {
            // A public client names itself; a confidential one must prove it.
            return client is { TokenEndpointAuthMethod: ClientAuthenticationMethods.None, IsDisabled: false }
                ? ClientAuthenticationResult.Ok(client, ClientAuthenticationMethods.None)
                : ClientAuthenticationResult.Fail(Errors.InvalidClient, client is { IsDisabled: true } ? "The client is disabled." : "Client authentication failed.", usedBasic);
        }

        var verified = ClientSecrets.Verify(secret, client?.ClientSecretHash ?? UnknownClientHash);
        if (client is null || client.ClientSecretHash is null || !verified)
        {
            return ClientAuthenticationResult.Fail(Errors.InvalidClient, "Client authentication failed.", usedBasic);
        }

        if (client.IsDisabled)
        {
            return ClientAuthenticationResult.Fail(Errors.InvalidClient, "The client is disabled.", usedBasic);
        }

        return ClientAuthenticationResult.Ok(client, usedBasic ? ClientAuthenticationMethods.ClientSecretBasic : ClientAuthenticationMethods.ClientSecretPost);
    }

    // RFC 6749 §2.3.1: client_id and secret are form-url-encoded before Basic encoding.
    private static bool TryParseBasic(string header, out string? clientId, out string? secret)
    {
        clientId = secret = null;
        const string Scheme = "Basic ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(header[Scheme.Length..].Trim()));
        }
        catch (Exception exception) when (exception is FormatException or DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        clientId = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
        secret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
        return true;
    }
}

/// <summary>The authenticated client and the method it used, or the RFC 6749 §5.2 error.</summary>
internal sealed record ClientAuthenticationResult(Client? Client, string? Method, string? Error, string? Description, bool BasicChallenge)
{
    public static ClientAuthenticationResult Ok(Client client, string method) => new(client, method, null, null, false);

    public static ClientAuthenticationResult Fail(string error, string description, bool basic = false) => new(null, null, error, description, basic);
}
