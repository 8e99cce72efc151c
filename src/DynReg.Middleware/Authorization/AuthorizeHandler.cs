using DynReg.Middleware.Login;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Authorization;

/// <summary>
/// <c>GET /authorize</c>: verify client and redirect URI (errors on a page until then), validate
/// the rest, then continue a session or show the login page for a new transaction.
/// </summary>
internal sealed class AuthorizeHandler(
    IClientStore clients,
    ITenantSettingsStore tenantSettings,
    AllowedConnections allowedConnections,
    ApiRegistry apis,
    LoginTransactions transactions,
    AuthorizationResponder responder,
    LoginPageRenderer loginPage,
    [FromKeyedServices(AddressRateLimiter.SignInStarts)] AddressRateLimiter signInLimiter,
    TimeProvider time,
    ILogger<AuthorizeHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        // OpenID Connect Core §3.1.2.1: GET with a query, or POST with a form.
        IQueryCollection query = context.Request.Query;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            if (await LimitedForm.ReadAsync(context.Request, cancellationToken) is not { } form)
            {
                return HtmlPages.Error(StatusCodes.Status400BadRequest, Errors.InvalidRequest,
                    $"A POST to the authorization endpoint must be form-encoded, at most {LimitedForm.MaxBodyBytes} bytes.");
            }

            query = new QueryCollection(form.ToDictionary(p => p.Key, p => p.Value));
        }

        var clientId = query[Parameters.ClientId].Count == 1 ? query[Parameters.ClientId][0] : null;
        var client = string.IsNullOrEmpty(clientId) ? null : await clients.FindByIdAsync(clientId, cancellationToken);
        var connections = client is null ? [] : await allowedConnections.ForClientAsync(client, cancellationToken);

        var validation = AuthorizeRequestValidator.Validate(query, client, connections, apis);
        if (validation.Request is not { } request)
        {
            Log.AuthorizeRefused(logger, validation.Error!, validation.Description);
            return validation.Redirect
                ? responder.RedirectError(validation.RedirectUri!, validation.ResponseMode!, validation.Error!, validation.Description!, validation.State)
                : HtmlPages.Error(StatusCodes.Status400BadRequest, validation.Error!, validation.Description);
        }

        var transaction = new LoginTransaction
        {
            Id = SecureRandom.Base64Url(24),
            ClientId = request.Client.ClientId,
            RedirectUri = request.RedirectUri,
            ResponseType = request.ResponseType,
            ResponseMode = request.ResponseMode,
            Scopes = request.Scopes,
            Audience = request.Audience,
            State = request.State,
            Nonce = request.Nonce,
            CodeChallenge = request.CodeChallenge,
            CodeChallengeMethod = request.CodeChallengeMethod,
            Connection = request.Connection,
            Prompt = request.Prompt,
            CsrfToken = SecureRandom.Base64Url(24),
            BrowserBinding = BrowserBinding.GetOrCreate(context),
            CreatedAt = time.GetUtcNow(),
        };

        if (connections.Count == 0)
        {
            return responder.Error(transaction, request.Client, Errors.AccessDenied, "No connection is enabled for this client: promote one to a domain connection.");
        }

        var prompts = (request.Prompt ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!prompts.Contains(Prompts.Login))
        {
            var session = await context.AuthenticateAsync(Session.Scheme);
            if (Session.FromPrincipal(session.Principal) is { } user
                && connections.Any(c => c.Name == user.ConnectionName)
                && (request.Connection is null || request.Connection == user.ConnectionName))
            {
                return await responder.CompleteAsync(context, transaction, user, request.Client);
            }
        }

        // A14: prompt=none without a usable session.
        if (prompts.Contains(Prompts.None))
        {
            return responder.Error(transaction, request.Client, OidcErrors.LoginRequired, "The user is not signed in.");
        }

        // A new login transaction is server state kept for 30 minutes: bounded per address.
        if (!signInLimiter.TryAcquire(context.Connection.RemoteIpAddress, out var retryAfter))
        {
            Log.SignInStartLimited(logger, request.Client.ClientId, retryAfter);
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return responder.Error(transaction, request.Client, Errors.TemporarilyUnavailable,
                $"Too many sign-ins were started from this address. Retry after {retryAfter} seconds.");
        }

        await transactions.SaveAsync(transaction, cancellationToken);
        var tenant = await tenantSettings.GetAsync(cancellationToken);
        return loginPage.Render(context, transaction, request.Client, connections, tenant);
    }
}
