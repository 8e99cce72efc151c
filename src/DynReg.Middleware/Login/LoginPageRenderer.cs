using System.Text;
using System.Text.Json;
using DynReg.Middleware.Authorization;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Login;

/// <summary>
/// Renders the login page: the template with <c>@@config@@</c> replaced by base64 of the UTF-8
/// JSON config of LOCK.md §(b), and <c>@@nonce@@</c> by the CSP nonce of its inline scripts.
/// </summary>
internal sealed class LoginPageRenderer(IOptions<DynamicRegistrationOptions> options)
{
    private readonly LoginPageOptions _page = options.Value.LoginPage;
    private readonly Uri _issuer = options.Value.Issuer!;

    public IResult Render(HttpContext context, LoginTransaction transaction, Client client, IReadOnlyList<Connection> connections, TenantSettings tenant)
    {
        var config = BuildConfig(context, transaction, client, connections, tenant);
        var template = _page.Template ?? SelfContainedTemplate.Html;
        var encoded = Convert.ToBase64String(config);

        // The credential post answers a form to /login/callback, which redirects to the client.
        return HtmlPages.SignInPage(StatusCodes.Status200OK,
            nonce => new StringBuilder(template).Replace("@@config@@", encoded).Replace("@@nonce@@", nonce).ToString(),
            transaction.RedirectUri,
            _page.ScriptSources);
    }

    /// <summary>The config JSON (LOCK.md §(b)); <c>connections</c> is an addition for the built-in template.</summary>
    internal byte[] BuildConfig(HttpContext context, LoginTransaction transaction, Client client, IReadOnlyList<Connection> connections, TenantSettings tenant)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("clientID", client.ClientId);

            // LOCK.md §0: exactly location.host of the page, so Lock takes the hosted-page path.
            writer.WriteString("auth0Domain", context.Request.Host.Value);
            writer.WriteString("auth0Tenant", tenant.FriendlyName ?? "tenant");
            writer.WriteString("callbackURL", transaction.RedirectUri);
            writer.WriteBoolean("callbackOnLocationHash", transaction.ResponseType != ResponseTypes.Code);
            // LOCK.md §(b): "" keeps Lock's defaults; a path on this host serves dictionaries offline.
            writer.WriteString("assetsUrl", _page.ServeLockAssets
                ? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{LockEndpoints.AssetsPath}"
                : string.Empty);
            writer.WriteString("icon", string.Empty);
            writer.WriteStartObject("colors");
            writer.WriteEndObject();
            writer.WriteStartObject("extraParams");
            writer.WriteEndObject();
            if (transaction.Connection is null)
            {
                writer.WriteNull("connection");
            }
            else
            {
                writer.WriteString("connection", transaction.Connection);
            }

            if (transaction.Prompt is null)
            {
                writer.WriteNull("prompt");
            }
            else
            {
                writer.WriteString("prompt", transaction.Prompt);
            }

            writer.WriteBoolean("isThirdPartyClient", !client.IsFirstParty);
            writer.WriteStartObject("dict");
            writer.WriteStartObject("signin");
            writer.WriteString("title", client.ClientName ?? client.ClientId);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteStartObject("authorizationServer");
            writer.WriteString("url", _issuer.AbsoluteUri.TrimEnd('/'));
            writer.WriteString("issuer", _issuer.AbsoluteUri);
            writer.WriteEndObject();

            // Every key is posted back with the credentials; the server trusts only `state` (the transaction) and `_csrf`.
            writer.WriteStartObject("internalOptions");
            writer.WriteString("state", transaction.Id);
            writer.WriteString("_csrf", transaction.CsrfToken);
            writer.WriteString("_intstate", "deprecated");
            writer.WriteString("protocol", "oauth2");
            writer.WriteString("response_type", transaction.ResponseType);
            writer.WriteString("scope", string.Join(' ', transaction.Scopes));
            WriteIfPresent(writer, "nonce", transaction.Nonce);
            WriteIfPresent(writer, "audience", transaction.Audience);
            WriteIfPresent(writer, "code_challenge", transaction.CodeChallenge);
            WriteIfPresent(writer, "code_challenge_method", transaction.CodeChallengeMethod);
            writer.WriteEndObject();

            writer.WriteStartArray("connections");
            foreach (var connection in connections.Where(c => transaction.Connection is null || c.Name == transaction.Connection))
            {
                writer.WriteStringValue(connection.Name);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
