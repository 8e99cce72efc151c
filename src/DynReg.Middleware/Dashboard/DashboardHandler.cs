using DynReg.Middleware.Management;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace DynReg.Middleware.Dashboard;

/// <summary>
/// The dashboard's pages and posts. Reads go to the management services' stores; every change
/// goes through the same services as <c>/api/v2</c> (same rules, same audit line, with the
/// signed-in user as the actor). A post is checked for its anti-forgery token before anything
/// else; a refused post changes nothing. A successful post answers 303 to a page (Post/Redirect/Get),
/// except a secret rotation, whose page shows the new secret once.
/// </summary>
internal sealed class DashboardHandler(
    TenantSettingsService settings,
    ConnectionService connections,
    ClientService clients,
    IAntiforgery antiforgery,
    ILogger<DashboardHandler> logger)
{
    public const int PageSize = 50;
    private const int MaxQueryLength = 256;

    private const string EnableField = "enable_dynamic_client_registration";
    private const string SecurityModeField = "dynamic_client_registration_security_mode";
    private const string FriendlyNameField = "friendly_name";
    private const string DomainField = "is_domain_connection";
    private const string NameField = "name";
    private const string RedirectUrisField = "redirect_uris";

    // The notices a redirect may ask for, by key: a URL never carries text onto a page.
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["settings-saved"] = "Settings saved.",
        ["registration-on"] = "OIDC Dynamic Client Registration is on: POST /oidc/register accepts new applications.",
        ["registration-off"] = "OIDC Dynamic Client Registration is off: POST /oidc/register refuses new applications.",
        ["connection-promoted"] = "The connection is now a domain connection.",
        ["connection-demoted"] = "The connection is no longer a domain connection.",
        ["application-saved"] = "Changes saved.",
        ["application-unchanged"] = "Nothing to change.",
        ["application-deleted"] = "The application was deleted.",
    };

    public async Task<IResult> SettingsAsync(HttpContext context, string basePath)
    {
        var current = await settings.GetAsync(context.RequestAborted);
        return Page(StatusCodes.Status200OK, DashboardPages.Settings(Frame(context, basePath), current, Notice(context), null));
    }

    public async Task<IResult> UpdateSettingsAsync(HttpContext context, string basePath)
    {
        if (await ReadFormAsync(context, basePath) is not { } form)
        {
            return Refused(context, basePath);
        }

        var patch = new TenantSettingsPatch();
        string? problem = null;
        if (form.TryGetValue(EnableField, out var enable))
        {
            if (ParseBoolean(enable) is { } value)
            {
                patch = patch with { EnableDynamicClientRegistration = value };
            }
            else
            {
                problem = $"{EnableField} must be true or false";
            }
        }

        if (problem is null && form.TryGetValue(SecurityModeField, out var mode))
        {
            if (TenantSettingsService.TryParseSecurityMode(Single(mode), out var parsed))
            {
                patch = patch with { SecurityMode = parsed };
            }
            else
            {
                problem = TenantSettingsService.SecurityModeRule;
            }
        }

        if (problem is null && form.TryGetValue(FriendlyNameField, out var friendlyName))
        {
            var name = Single(friendlyName)?.Trim();
            problem = TenantSettingsService.CheckFriendlyName(name);
            patch = patch with { FriendlyName = name };
        }

        if (problem is null)
        {
            var outcome = await settings.UpdateAsync(patch, Actor(context), context.RequestAborted);
            problem = outcome.Succeeded ? null : outcome.Message;
        }

        if (problem is not null)
        {
            var current = await settings.GetAsync(context.RequestAborted);
            return Page(StatusCodes.Status400BadRequest, DashboardPages.Settings(Frame(context, basePath), current, null, "Nothing was changed: " + problem));
        }

        // The toggle's form sends the flag alone; the tenant form the other members.
        var toggledOnly = patch.SecurityMode is null && patch.FriendlyName is null;
        var notice = (toggledOnly, patch.EnableDynamicClientRegistration) switch
        {
            (true, true) => "registration-on",
            (true, false) => "registration-off",
            _ => "settings-saved",
        };
        return Redirect(context, basePath, "/settings", notice);
    }

    public async Task<IResult> ConnectionsAsync(HttpContext context, string basePath)
    {
        var all = await connections.ListAllAsync(context.RequestAborted);
        return Page(StatusCodes.Status200OK, DashboardPages.Connections(Frame(context, basePath), all, Notice(context), null));
    }

    public async Task<IResult> SetDomainConnectionAsync(HttpContext context, string basePath, string id)
    {
        if (await ReadFormAsync(context, basePath) is not { } form)
        {
            return Refused(context, basePath);
        }

        if (ParseBoolean(form[DomainField]) is not { } promote)
        {
            return await ConnectionsProblemAsync(context, basePath, StatusCodes.Status400BadRequest, $"Nothing was changed: {DomainField} must be true or false");
        }

        var outcome = await connections.UpdateAsync(id, new ConnectionPatch(IsDomainConnection: promote), Actor(context), context.RequestAborted);
        return outcome.Status switch
        {
            ManagementStatus.Succeeded => Redirect(context, basePath, "/connections", promote ? "connection-promoted" : "connection-demoted"),
            ManagementStatus.NotFound => await ConnectionsProblemAsync(context, basePath, StatusCodes.Status404NotFound, "The connection does not exist."),
            _ => await ConnectionsProblemAsync(context, basePath, StatusCodes.Status400BadRequest, "Nothing was changed: " + outcome.Message),
        };
    }

    public async Task<IResult> ApplicationsAsync(HttpContext context, string basePath)
    {
        var query = context.Request.Query;
        var pageNumber = int.TryParse(query["page"], out var requested) && requested >= 1 ? requested : 1;
        var search = Single(query["q"])?.Trim();
        if (search is { Length: > MaxQueryLength })
        {
            search = search[..MaxQueryLength];
        }

        ApplicationsView view;
        if (string.IsNullOrEmpty(search))
        {
            // One store call for one page: fast however many clients there are.
            var page = await clients.ListAsync(pageNumber - 1, PageSize, context.RequestAborted);
            var totalPages = (page.Total + PageSize - 1) / PageSize;
            view = new ApplicationsView(page.Items, pageNumber, totalPages, page.Total, pageNumber < totalPages, null, false);
        }
        else
        {
            var found = await clients.SearchAsync(search, pageNumber - 1, PageSize, context.RequestAborted);
            view = new ApplicationsView(found.Items, pageNumber, null, null, found.HasMore, search, found.ScanLimitReached);
        }

        return Page(StatusCodes.Status200OK, DashboardPages.Applications(Frame(context, basePath), view, Notice(context)));
    }

    public async Task<IResult> ApplicationAsync(HttpContext context, string basePath, string id)
        => await clients.FindAsync(id, context.RequestAborted) is { } client
            ? Page(StatusCodes.Status200OK, DashboardPages.Application(Frame(context, basePath), client, Notice(context), null))
            : ApplicationNotFound(context, basePath);

    public async Task<IResult> UpdateApplicationAsync(HttpContext context, string basePath, string id)
    {
        if (await ReadFormAsync(context, basePath) is not { } form)
        {
            return Refused(context, basePath);
        }

        var current = await clients.FindAsync(id, context.RequestAborted);
        if (current is null)
        {
            return ApplicationNotFound(context, basePath);
        }

        // Only what differs from the stored client is sent: an untouched field is never re-validated.
        var patch = new ClientPatch();
        var nameInput = form.TryGetValue(NameField, out var nameValue) ? Single(nameValue)?.Trim() ?? string.Empty : null;
        if (nameInput is not null && nameInput != (current.ClientName ?? string.Empty))
        {
            patch = patch with { Name = nameInput };
        }

        var urisInput = form.TryGetValue(RedirectUrisField, out var urisValue) ? Single(urisValue) ?? string.Empty : null;
        if (urisInput is not null)
        {
            var uris = SplitLines(urisInput);
            if (!uris.SequenceEqual(current.RedirectUris, StringComparer.Ordinal))
            {
                patch = patch with { RedirectUris = uris };
            }
        }

        if (patch == new ClientPatch())
        {
            return Redirect(context, basePath, ApplicationPath(id), "application-unchanged");
        }

        var outcome = await clients.UpdateAsync(id, patch, Actor(context), context.RequestAborted);
        return outcome.Status switch
        {
            ManagementStatus.Succeeded => Redirect(context, basePath, ApplicationPath(id), "application-saved"),
            ManagementStatus.NotFound => ApplicationNotFound(context, basePath),
            _ => Page(StatusCodes.Status400BadRequest,
                DashboardPages.Application(Frame(context, basePath), current, null, "Nothing was changed: " + outcome.Message, nameInput, urisInput)),
        };
    }

    public async Task<IResult> RotateSecretAsync(HttpContext context, string basePath, string id)
    {
        if (await ReadFormAsync(context, basePath) is null)
        {
            return Refused(context, basePath);
        }

        var outcome = await clients.RotateSecretAsync(id, Actor(context), context.RequestAborted);
        switch (outcome.Status)
        {
            case ManagementStatus.Succeeded:
                // Shown in this answer only (no-store), never put in a URL or kept.
                return Page(StatusCodes.Status200OK, DashboardPages.SecretRotated(Frame(context, basePath), outcome.Value.Client, outcome.Value.Secret));
            case ManagementStatus.NotFound:
                return ApplicationNotFound(context, basePath);
            default:
                var client = await clients.FindAsync(id, context.RequestAborted);
                return client is null
                    ? ApplicationNotFound(context, basePath)
                    : Page(StatusCodes.Status400BadRequest, DashboardPages.Application(Frame(context, basePath), client, null, "Nothing was changed: " + outcome.Message));
        }
    }

    public async Task<IResult> ConfirmDeleteAsync(HttpContext context, string basePath, string id)
        => await clients.FindAsync(id, context.RequestAborted) is { } client
            ? Page(StatusCodes.Status200OK, DashboardPages.ConfirmDelete(Frame(context, basePath), client))
            : ApplicationNotFound(context, basePath);

    public async Task<IResult> DeleteApplicationAsync(HttpContext context, string basePath, string id)
    {
        if (await ReadFormAsync(context, basePath) is null)
        {
            return Refused(context, basePath);
        }

        return await clients.DeleteAsync(id, Actor(context), context.RequestAborted)
            ? Redirect(context, basePath, "/applications", "application-deleted")
            : ApplicationNotFound(context, basePath);
    }

    /// <summary>The form, once its anti-forgery token is valid for this user; null otherwise.</summary>
    private async Task<IFormCollection?> ReadFormAsync(HttpContext context, string basePath)
    {
        string reason;
        if (!context.Request.HasFormContentType)
        {
            reason = "not a form";
        }
        else
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
                return await context.Request.ReadFormAsync(context.RequestAborted);
            }
            catch (AntiforgeryValidationException)
            {
                reason = "missing or invalid anti-forgery token";
            }
            catch (InvalidDataException)
            {
                reason = "unreadable form";
            }
        }

        Log.PostRefused(logger, context.Request.Path, Actor(context).Name, reason);
        return null;
    }

    private IResult Refused(HttpContext context, string basePath)
        => Page(StatusCodes.Status400BadRequest, DashboardPages.Problem(Frame(context, basePath), "Request refused",
            "Nothing was changed: this form was not sent from a dashboard page of this browser session, or it expired. Reload the page and try again."));

    private IResult ApplicationNotFound(HttpContext context, string basePath)
        => Page(StatusCodes.Status404NotFound, DashboardPages.Problem(Frame(context, basePath), "Not found", "The application does not exist; it may have been deleted."));

    private async Task<IResult> ConnectionsProblemAsync(HttpContext context, string basePath, int status, string message)
    {
        var all = await connections.ListAllAsync(context.RequestAborted);
        return Page(status, DashboardPages.Connections(Frame(context, basePath), all, null, message));
    }

    /// <summary>Anti-forgery tokens for this user (sets the cookie half when needed), then the page.</summary>
    private DashboardFrame Frame(HttpContext context, string basePath)
        => new(context.Request.PathBase + basePath, context.User.Identity?.Name, antiforgery.GetAndStoreTokens(context));

    private static IResult Page(int status, string html) => DashboardResults.Html(status, html);

    private static IResult Redirect(HttpContext context, string basePath, string path, string notice)
        => DashboardResults.SeeOther(context.Request.PathBase + basePath + path + "?notice=" + notice);

    private static string? Notice(HttpContext context)
        => Single(context.Request.Query["notice"]) is { } key && Notices.TryGetValue(key, out var text) ? text : null;

    private static ManagementActor Actor(HttpContext context) => ManagementActor.FromDashboard(context.User);

    private static string ApplicationPath(string id) => "/applications/" + Uri.EscapeDataString(id);

    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;

    private static bool? ParseBoolean(StringValues values) => Single(values) switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    /// <summary>Lines of a textarea, trimmed, blank lines dropped, exact duplicates collapsed (as registration does).</summary>
    private static List<string> SplitLines(string text)
    {
        var uris = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var uri = line.Trim();
            if (uri.Length > 0 && !uris.Contains(uri, StringComparer.Ordinal))
            {
                uris.Add(uri);
            }
        }

        return uris;
    }
}
