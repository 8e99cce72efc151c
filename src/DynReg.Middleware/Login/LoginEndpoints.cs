using System.Text.Json;
using DynReg.Middleware.Authorization;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace DynReg.Middleware.Login;

/// <summary>
/// The hosted login page's server side, shaped as Lock expects (LOCK.md §(a)): the credential
/// post, the callback, and the small endpoints Lock calls at start-up.
/// </summary>
internal static class LoginEndpoints
{
    private const string CallbackPath = "/login/callback";
    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>The endpoints Lock calls itself; their answers are Lock's JSON.</summary>
    public static void MapLock(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/usernamepassword/login", UsernamePasswordLoginAsync).AllowAnonymous().DisableAntiforgery();

        // LOCK.md rows 6-10: no single sign-on data, no captcha. One route serves both
        // /user/ssodata and Lock 10.9-10.24's /user/ssodata/: routing ignores a trailing slash,
        // so a second route for the slashed path would make both ambiguous (a 500).
        endpoints.MapGet("/user/ssodata", static () => LockResults.Json(new LockSsoData(false), DynRegJsonContext.Default.LockSsoData)).AllowAnonymous();
        foreach (var path in (string[])["/usernamepassword/challenge", "/passwordless/challenge", "/dbconnections/change_password/challenge", "/dbconnections/signup/challenge"])
        {
            endpoints.MapPost(path, static () => LockResults.Json(new LockChallenge(false), DynRegJsonContext.Default.LockChallenge)).AllowAnonymous().DisableAntiforgery();
        }
    }

    /// <summary>The callback the credential post's form submits in the browser; its answers are pages.</summary>
    public static void MapPages(IEndpointRouteBuilder endpoints)
        => endpoints.MapPost(CallbackPath, LoginCallbackAsync).AllowAnonymous().DisableAntiforgery();

    // LOCK.md row 11. Only `state` (the transaction) and `_csrf` are taken from the body besides
    // the credentials; client, redirect URI, scope and response type come from the transaction.
    private static async Task<IResult> UsernamePasswordLoginAsync(
        HttpContext context,
        [FromServices] LoginTransactions transactions,
        [FromServices] LoginTickets tickets,
        [FromServices] IClientStore clients,
        [FromServices] AllowedConnections allowedConnections,
        [FromServices] IEnumerable<IUserAuthenticator> authenticators,
        [FromServices] LoginAttemptLimiter limiter,
        [FromServices] TimeProvider time,
        [FromServices] Hosting.DynRegMetrics metrics,
        [FromServices] ILogger<LoginAttemptLimiter> logger)
    {
        var cancellationToken = context.RequestAborted;
        var fields = await ReadFieldsAsync(context.Request, cancellationToken);
        if (fields is null)
        {
            return LockResults.Error(StatusCodes.Status400BadRequest, "invalid_request", "The body must be a form or a JSON object.");
        }

        var transaction = fields.TryGetValue("state", out var transactionId) ? await transactions.FindAsync(transactionId, cancellationToken) : null;
        if (transaction is null)
        {
            Log.CredentialPostRefused(logger, "unknown or expired transaction");
            return LockResults.Error(StatusCodes.Status400BadRequest, "session_missing", "The login session has expired. Please start again.");
        }

        if (!BrowserBinding.Matches(context, transaction.BrowserBinding)
            || !fields.TryGetValue("_csrf", out var csrf) || !BrowserBinding.FixedTimeEquals(csrf, transaction.CsrfToken))
        {
            Log.CredentialPostRefused(logger, "anti-forgery check failed");
            return LockResults.Error(StatusCodes.Status403Forbidden, "invalid_csrf", "The login request could not be verified. Please start again.");
        }

        var client = await clients.FindByIdAsync(transaction.ClientId, cancellationToken);
        if (client is null)
        {
            return LockResults.Error(StatusCodes.Status400BadRequest, "unauthorized_client", "The client no longer exists.");
        }

        var allowed = await allowedConnections.ForClientAsync(client, cancellationToken);
        fields.TryGetValue("connection", out var connectionName);
        connectionName = string.IsNullOrEmpty(connectionName) ? transaction.Connection ?? (allowed.Count == 1 ? allowed[0].Name : null) : connectionName;
        var connection = allowed.FirstOrDefault(c => string.Equals(c.Name, connectionName, StringComparison.OrdinalIgnoreCase));
        if (connection is null || (transaction.Connection is not null && connection.Name != transaction.Connection))
        {
            Log.CredentialPostRefused(logger, "connection not enabled for the client");
            return LockResults.Error(StatusCodes.Status400BadRequest, "invalid_connection", "This connection is not enabled for the client.");
        }

        var username = fields.GetValueOrDefault("username") ?? fields.GetValueOrDefault("email") ?? string.Empty;
        var password = fields.GetValueOrDefault("password") ?? string.Empty;
        var limitKey = LoginAttemptLimiter.KeyFor(connection.Name, username, context.Connection.RemoteIpAddress);
        if (limiter.IsLimited(limitKey))
        {
            Log.SignInFailed(logger, connection.Name, "too many attempts", client.ClientId);
            metrics.SignIn("too_many_attempts");
            return LockResults.Error(StatusCodes.Status429TooManyRequests, "too_many_attempts", "Your account has been blocked after multiple consecutive login attempts.");
        }

        var authenticator = authenticators.FirstOrDefault(a => a.Strategy == connection.Strategy);
        if (authenticator is null)
        {
            return LockResults.Error(StatusCodes.Status400BadRequest, "invalid_connection", $"No user authenticator serves the '{connection.Strategy}' strategy.");
        }

        var result = await authenticator.AuthenticateAsync(connection, username, password, cancellationToken);
        if (result.User is not { } profile)
        {
            limiter.RecordFailure(limitKey);
            Log.SignInFailed(logger, connection.Name, result.Failure.ToString()!, client.ClientId);
            metrics.SignIn(result.Failure == UserAuthenticationFailure.Blocked ? "blocked" : "invalid_credentials");
            return result.Failure == UserAuthenticationFailure.Blocked ? LockResults.UserBlocked() : LockResults.WrongCredentials();
        }

        limiter.Reset(limitKey);
        var user = new SignedInUser
        {
            Subject = profile.Subject,
            ConnectionName = connection.Name,
            AuthTime = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()),
            Email = profile.Email,
            EmailVerified = profile.EmailVerified,
            Name = profile.Name,
            Nickname = profile.Nickname,
            Picture = profile.Picture,
        };
        var ticket = await tickets.CreateAsync(new LoginTicket(transaction.Id, connection.Name, user), cancellationToken);
        Log.SignInSucceeded(logger, connection.Name, user.Subject, client.ClientId);
        metrics.SignIn("success");

        // LOCK.md "HTML rules for #11": the first element is the form; no control named "submit".
        var context64 = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["strategy"] = connection.Strategy,
            ["connection"] = connection.Name,
            ["state"] = transaction.Id,
            ["client_id"] = client.ClientId,
        }, DynRegJsonContext.Default.DictionaryStringString);
        var action = context.Request.PathBase + CallbackPath;
        return HtmlPages.SignInPage(StatusCodes.Status200OK, nonce => $"<form method=\"post\" name=\"hiddenform\" action=\"{HtmlPages.Encode(action)}\">"
            + "<input type=\"hidden\" name=\"wa\" value=\"wsignin1.0\">"
            + $"<input type=\"hidden\" name=\"wresult\" value=\"{HtmlPages.Encode(ticket)}\">"
            + $"<input type=\"hidden\" name=\"wctx\" value=\"{HtmlPages.Encode(context64)}\">"
            + "<noscript><p>Script is disabled. Click Continue to go on.</p><input type=\"submit\" value=\"Continue\"></noscript>"
            + $"</form><script nonce=\"{nonce}\">document.forms.hiddenform.submit();</script>", transaction.RedirectUri);
    }

    // LOCK.md row 12: redeem the single-use ticket, start the session, then consent or answer the client.
    private static async Task<IResult> LoginCallbackAsync(
        HttpContext context,
        [FromServices] LoginTickets tickets,
        [FromServices] LoginTransactions transactions,
        [FromServices] IClientStore clients,
        [FromServices] AuthorizationResponder responder)
    {
        var cancellationToken = context.RequestAborted;
        if (await Protocol.LimitedForm.ReadAsync(context.Request, cancellationToken) is not { } form)
        {
            return HtmlPages.Error(StatusCodes.Status400BadRequest, "invalid_request", "The login callback expects a form post.");
        }

        var ticket = form["wresult"].Count == 1 ? await tickets.RedeemAsync(form["wresult"][0]!, cancellationToken) : null;
        var transaction = ticket is null ? null : await transactions.FindAsync(ticket.TransactionId, cancellationToken);
        if (ticket is null || transaction is null)
        {
            return HtmlPages.Error(StatusCodes.Status400BadRequest, "invalid_request", "The login has expired or was already used. Please start again.");
        }

        if (!BrowserBinding.Matches(context, transaction.BrowserBinding))
        {
            return HtmlPages.Error(StatusCodes.Status403Forbidden, "access_denied", "The login could not be verified for this browser.");
        }

        var client = await clients.FindByIdAsync(transaction.ClientId, cancellationToken);
        if (client is null)
        {
            return HtmlPages.Error(StatusCodes.Status400BadRequest, "invalid_client", "The client no longer exists.");
        }

        await context.SignInAsync(Session.Scheme, Session.ToPrincipal(ticket.User));
        return await responder.CompleteAsync(context, transaction, ticket.User, client);
    }

    // Lock 10.0-10.8 posts a form, later versions JSON with some non-string members (sso, popup_options).
    private static async Task<Dictionary<string, string>?> ReadFieldsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            if (await Protocol.LimitedForm.ReadAsync(request, cancellationToken) is not { } form)
            {
                return null;
            }

            foreach (var (name, values) in form)
            {
                if (values.Count == 1)
                {
                    fields[name] = values[0]!;
                }
            }

            return fields;
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        var buffer = new byte[MaxBodyBytes + 1];
        if (await LimitedBody.ReadAsync(request, buffer, cancellationToken) is not { } length)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    fields[property.Name] = property.Value.GetString()!;
                }
            }

            return fields;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
