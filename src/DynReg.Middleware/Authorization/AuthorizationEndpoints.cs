using DynReg.Middleware.Login;
using DynReg.Middleware.Stores;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Authorization;

/// <summary>Maps <c>GET /authorize</c>, the consent decision and <c>GET /v2/logout</c>. No CORS on any (RFC 9700 §2.6).</summary>
internal static class AuthorizationEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Protocol.EndpointPaths.Authorize, [HttpMethods.Get, HttpMethods.Post], static ([FromServices] AuthorizeHandler handler, HttpContext context) => handler.HandleAsync(context))
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("DynReg.Authorize");
        endpoints.MapPost(AuthorizationResponder.ConsentPath, ConsentAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapGet("/v2/logout", LogoutAsync).AllowAnonymous();
    }

    // The consent page's form: same browser (binding cookie), same transaction token, same user.
    private static async Task<IResult> ConsentAsync(
        HttpContext context,
        [FromServices] LoginTransactions transactions,
        [FromServices] IClientStore clients,
        [FromServices] AuthorizationResponder responder,
        [FromServices] ILogger<AuthorizationResponder> logger)
    {
        var cancellationToken = context.RequestAborted;
        if (await Protocol.LimitedForm.ReadAsync(context.Request, cancellationToken) is not { } form)
        {
            return HtmlPages.Error(StatusCodes.Status400BadRequest, Errors.InvalidRequest, "The consent decision expects a form post.");
        }

        var transaction = form["state"].Count == 1 ? await transactions.FindAsync(form["state"][0]!, cancellationToken) : null;
        if (transaction?.ConsentSubject is null)
        {
            return HtmlPages.Error(StatusCodes.Status400BadRequest, Errors.InvalidRequest, "The authorization has expired. Please start again.");
        }

        var session = Session.FromPrincipal((await context.AuthenticateAsync(Session.Scheme)).Principal);
        if (!BrowserBinding.Matches(context, transaction.BrowserBinding)
            || form["_csrf"].Count != 1 || !BrowserBinding.FixedTimeEquals(form["_csrf"][0]!, transaction.CsrfToken)
            || session is null || session.Subject != transaction.ConsentSubject)
        {
            return HtmlPages.Error(StatusCodes.Status403Forbidden, Errors.AccessDenied, "The consent decision could not be verified.");
        }

        var client = await clients.FindByIdAsync(transaction.ClientId, cancellationToken);
        if (client is null)
        {
            return HtmlPages.Error(StatusCodes.Status400BadRequest, Errors.InvalidClient, "The client no longer exists.");
        }

        await transactions.RemoveAsync(transaction.Id, cancellationToken);
        if (form["decision"] != "accept")
        {
            // A13: declining is access_denied (a page for strict-mode clients).
            Log.ConsentDeclined(logger, client.ClientId);
            return responder.Error(transaction, client, Errors.AccessDenied, "The user declined to authorize the client.");
        }

        await responder.RecordConsentAsync(transaction, session, cancellationToken);
        return await responder.IssueAsync(transaction, session, client, cancellationToken);
    }

    // Auth0's /v2/logout: ends the session; returnTo only to a URL the client registered.
    private static async Task<IResult> LogoutAsync(HttpContext context, [FromServices] IClientStore clients)
    {
        var query = context.Request.Query;
        string? returnTo = query["returnTo"];
        string? clientId = query[Parameters.ClientId];
        if (returnTo is not null)
        {
            var client = clientId is null ? null : await clients.FindByIdAsync(clientId, context.RequestAborted);
            if (client is null || !client.RedirectUris.Contains(returnTo, StringComparer.Ordinal))
            {
                return HtmlPages.Error(StatusCodes.Status400BadRequest, Errors.InvalidRequest,
                    "returnTo must be a URL registered for the client named by client_id.");
            }
        }

        await context.SignOutAsync(Session.Scheme);
        if (returnTo is null)
        {
            return HtmlPages.LoggedOut();
        }

        return HtmlPages.Redirect(returnTo);
    }
}
