using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using DynReg.Middleware.Management;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Antiforgery;

namespace DynReg.Middleware.Dashboard;

/// <summary>What every page needs: where the dashboard is mounted, who is signed in, the anti-forgery field.</summary>
internal sealed record DashboardFrame(string BasePath, string? UserName, AntiforgeryTokenSet? Tokens)
{
    public string Url(string relative) => BasePath + relative;
}

/// <summary>The applications page's model: one page of clients, from the plain listing or a search.</summary>
internal sealed record ApplicationsView(IReadOnlyList<Client> Clients, int PageNumber, int? TotalPages, int? Total, bool HasNext, string? Query, bool ScanLimitReached);

/// <summary>
/// The dashboard's HTML, rendered on the server: plain forms and links, no script, nothing
/// loaded from anywhere. Every value is HTML-encoded where it is written. Pure: no I/O.
/// </summary>
internal static class DashboardPages
{
    /// <summary>The one stylesheet, inline; the CSP allows it by its SHA-256 (<see cref="DashboardResults"/>).</summary>
    public const string Style =
        "body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}"
        + "header{display:flex;gap:1.5rem;align-items:center;padding:.8rem 1.5rem;background:#1d2330;color:#fff}"
        + "header nav a{margin-right:1rem}header a{color:#cfd6e4;text-decoration:none}header a[aria-current]{color:#fff;font-weight:600}"
        + "header .user{margin-left:auto;font-size:.9rem;color:#cfd6e4}"
        + "main{max-width:72rem;margin:1.5rem auto;padding:0 1.5rem}"
        + "section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:1rem 1.2rem;margin-bottom:1.2rem}"
        + "h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:0}"
        + "table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #e4e7ec;vertical-align:top}"
        + "th{font-size:.85rem;color:#5a6475}code{word-break:break-all;font-size:.9em}"
        + "label{display:block;margin:.7rem 0 .25rem;font-weight:600}input[type=text],input[type=search],select,textarea{font:inherit;padding:.4rem;width:100%;max-width:36rem;box-sizing:border-box}"
        + "textarea{min-height:7rem}button{font:inherit;padding:.4rem 1rem;margin-top:.6rem;cursor:pointer}"
        + "button.danger{background:#b3261e;color:#fff;border:1px solid #8c1d18}"
        + ".notice{background:#e6f4ea;border:1px solid #9fd3ae;padding:.6rem 1rem;border-radius:4px}"
        + ".error{background:#fdecea;border:1px solid #f1a9a0;padding:.6rem 1rem;border-radius:4px}"
        + ".badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-size:.85rem;background:#e4e7ec}"
        + ".on{background:#d5f0dd;color:#0d5c2b}.off{background:#f3e0df;color:#7a1c16}"
        + ".secret{font-size:1.1rem;background:#fff7d6;border:1px solid #e6cf73;padding:.6rem;display:block}"
        + ".muted{color:#5a6475;font-size:.9rem}nav.pages{display:flex;gap:1rem;margin-top:.8rem}"
        + "form.inline{display:inline}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0}ul.uris{margin:0;padding-left:1.1rem}";

    public const string Dash = "\u2014";

    private enum Nav
    {
        Settings,
        Connections,
        Applications,
    }

    public static string Settings(DashboardFrame frame, TenantSettings settings, string? notice, string? error)
    {
        var enabled = settings.Flags.EnableDynamicClientRegistration;
        var strict = settings.DynamicClientRegistrationSecurityMode == DynamicClientRegistrationSecurityMode.Strict;
        var body = new StringBuilder();
        body.Append("<section id=\"dcr\"><h2>OIDC Dynamic Client Registration</h2>")
            .Append("<p>Lets any application register itself at <code>POST /oidc/register</code> (RFC 7591), without a token. ")
            .Append("Registered applications are third-party: they may only use domain connections.</p>")
            .Append("<p>Status: <span id=\"dcr-status\" class=\"badge ").Append(enabled ? "on\">On" : "off\">Off").Append("</span></p>")
            .Append(FormStart(frame, "dcr-form", "/settings"))
            .Append("<input type=\"hidden\" name=\"enable_dynamic_client_registration\" value=\"").Append(enabled ? "false" : "true").Append("\">")
            .Append("<button type=\"submit\" id=\"dcr-toggle\">").Append(enabled ? "Turn off" : "Turn on").Append("</button></form></section>");

        body.Append("<section id=\"tenant\"><h2>Tenant</h2>")
            .Append(FormStart(frame, "tenant-form", "/settings"))
            .Append("<label for=\"security-mode\">Dynamic client registration security mode</label>")
            .Append("<select id=\"security-mode\" name=\"dynamic_client_registration_security_mode\">")
            .Append(Option(TenantSettingsService.Permissive, "permissive: implicit grant allowed for https redirect URIs", !strict))
            .Append(Option(TenantSettingsService.Strict, "strict: client ids start with tpc_, code flow with PKCE only (recommended)", strict))
            .Append("</select>")
            .Append("<label for=\"friendly-name\">Friendly name</label>")
            .Append("<input type=\"text\" id=\"friendly-name\" name=\"friendly_name\" maxlength=\"").Append(TenantSettingsService.MaxFriendlyNameLength)
            .Append("\" value=\"").Append(Encode(settings.FriendlyName ?? string.Empty)).Append("\">")
            .Append("<div><button type=\"submit\" id=\"save-settings\">Save</button></div></form></section>");
        return Layout(frame, Nav.Settings, "Advanced settings", notice, error, body.ToString());
    }

    public static string Connections(DashboardFrame frame, IReadOnlyList<Connection> connections, string? notice, string? error)
    {
        var body = new StringBuilder();
        body.Append("<p class=\"muted\">Third-party applications (every dynamically registered one) may sign users in only through domain connections. ")
            .Append("First-party applications use the domain connections and those that list them.</p>");
        if (connections.Count == 0)
        {
            body.Append("<p id=\"no-connections\">No connections yet.</p>");
            return Layout(frame, Nav.Connections, "Connections", notice, error, body.ToString());
        }

        body.Append("<table id=\"connections\"><thead><tr><th>Name</th><th>Strategy</th><th>Id</th><th>Domain connection</th><th></th></tr></thead><tbody>");
        foreach (var connection in connections)
        {
            var promoted = connection.IsDomainConnection;
            body.Append("<tr data-connection=\"").Append(Encode(connection.Name)).Append("\"><td>").Append(Encode(connection.Name)).Append("</td>")
                .Append("<td><code>").Append(Encode(connection.Strategy)).Append("</code></td>")
                .Append("<td><code>").Append(Encode(connection.Id)).Append("</code></td>")
                .Append("<td><span class=\"badge ").Append(promoted ? "on\">Yes" : "off\">No").Append("</span></td><td>")
                .Append(FormStart(frame, null, "/connections/" + Uri.EscapeDataString(connection.Id) + "/domain", "inline"))
                .Append("<input type=\"hidden\" name=\"is_domain_connection\" value=\"").Append(promoted ? "false" : "true").Append("\">")
                .Append("<button type=\"submit\" class=\"domain-switch\">").Append(promoted ? "Demote" : "Promote to domain connection").Append("</button></form></td></tr>");
        }

        body.Append("</tbody></table>");
        return Layout(frame, Nav.Connections, "Connections", notice, error, body.ToString());
    }

    public static string Applications(DashboardFrame frame, ApplicationsView view, string? notice)
    {
        var body = new StringBuilder();
        body.Append("<form method=\"get\" action=\"").Append(Encode(frame.Url("/applications"))).Append("\" id=\"search-form\">")
            .Append("<label for=\"q\">Search by name or client id</label>")
            .Append("<input type=\"search\" id=\"q\" name=\"q\" maxlength=\"256\" value=\"").Append(Encode(view.Query ?? string.Empty)).Append("\">")
            .Append(" <button type=\"submit\" id=\"search\">Search</button>");
        if (view.Query is not null)
        {
            body.Append(" <a href=\"").Append(Encode(frame.Url("/applications"))).Append("\" id=\"clear-search\">Show all</a>");
        }

        body.Append("</form>");
        if (view.Total is { } total)
        {
            body.Append("<p class=\"muted\" id=\"summary\">").Append(total.ToString("N0", CultureInfo.InvariantCulture))
                .Append(total == 1 ? " application" : " applications").Append(", in the order they were created. Page ")
                .Append(view.PageNumber.ToString(CultureInfo.InvariantCulture)).Append(" of ")
                .Append(Math.Max(1, view.TotalPages ?? 1).ToString(CultureInfo.InvariantCulture)).Append(".</p>");
        }
        else
        {
            body.Append("<p class=\"muted\" id=\"summary\">Matches for <strong>").Append(Encode(view.Query ?? string.Empty)).Append("</strong>, page ")
                .Append(view.PageNumber.ToString(CultureInfo.InvariantCulture)).Append(".");
            if (view.ScanLimitReached)
            {
                body.Append(" Only the first ").Append(ClientService.SearchScanLimit.ToString("N0", CultureInfo.InvariantCulture))
                    .Append(" applications were searched; an exact client id is always found.");
            }

            body.Append("</p>");
        }

        if (view.Clients.Count == 0)
        {
            body.Append("<p id=\"no-applications\">No applications").Append(view.Query is null ? " on this page." : " match.").Append("</p>");
        }
        else
        {
            body.Append("<table id=\"applications\"><thead><tr><th>Name</th><th>Client id</th><th>Type</th><th>Redirect URIs</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>");
            foreach (var client in view.Clients)
            {
                var detail = frame.Url("/applications/" + Uri.EscapeDataString(client.ClientId));
                body.Append("<tr data-client-id=\"").Append(Encode(client.ClientId)).Append("\">")
                    .Append("<td><a href=\"").Append(Encode(detail)).Append("\">").Append(Encode(DisplayName(client))).Append("</a></td>")
                    .Append("<td><code>").Append(Encode(client.ClientId)).Append("</code></td>")
                    .Append("<td>").Append(Party(client)).Append("</td><td>");
                AppendUris(body, client.RedirectUris, 3);
                body.Append("</td><td>").Append(Date(client.CreatedAt)).Append("</td>")
                    .Append("<td>").Append(client.LastUsedAt is { } used ? Date(used) : "never").Append("</td>")
                    .Append("<td><a href=\"").Append(Encode(detail)).Append("\">Manage</a> · <a href=\"").Append(Encode(detail + "/delete")).Append("\">Delete</a></td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("<nav class=\"pages\" aria-label=\"pages\">");
        if (view.PageNumber > 1)
        {
            body.Append("<a id=\"first-page\" href=\"").Append(Encode(PageUrl(frame, view.Query, 1))).Append("\">First</a>")
                .Append("<a id=\"previous-page\" rel=\"prev\" href=\"").Append(Encode(PageUrl(frame, view.Query, view.PageNumber - 1))).Append("\">Previous</a>");
        }

        if (view.HasNext)
        {
            body.Append("<a id=\"next-page\" rel=\"next\" href=\"").Append(Encode(PageUrl(frame, view.Query, view.PageNumber + 1))).Append("\">Next</a>");
            if (view.TotalPages is { } last)
            {
                body.Append("<a id=\"last-page\" href=\"").Append(Encode(PageUrl(frame, view.Query, last))).Append("\">Last</a>");
            }
        }

        body.Append("</nav>");
        return Layout(frame, Nav.Applications, "Applications", notice, null, body.ToString());
    }

    /// <summary>One application: its details, the edit form (with the values just sent when they were refused), rotate and delete.</summary>
    public static string Application(DashboardFrame frame, Client client, string? notice, string? error, string? nameInput = null, string? redirectUrisInput = null)
    {
        var path = "/applications/" + Uri.EscapeDataString(client.ClientId);
        var body = new StringBuilder();
        body.Append("<section><dl id=\"details\">")
            .Append("<dt>Client id</dt><dd><code id=\"client-id\">").Append(Encode(client.ClientId)).Append("</code></dd>")
            .Append("<dt>Name</dt><dd id=\"client-name\">").Append(Encode(client.ClientName ?? Dash)).Append("</dd>")
            .Append("<dt>Type</dt><dd id=\"party\">").Append(Party(client)).Append(client.IsDynamicallyRegistered ? " (registered dynamically)" : string.Empty).Append("</dd>")
            .Append("<dt>Application type</dt><dd>").Append(Encode(client.ApplicationType)).Append("</dd>")
            .Append("<dt>Token endpoint authentication</dt><dd><code>").Append(Encode(client.TokenEndpointAuthMethod)).Append("</code></dd>")
            .Append("<dt>Grant types</dt><dd>").Append(Encode(client.GrantTypes.Count == 0 ? Dash : string.Join(", ", client.GrantTypes))).Append("</dd>")
            .Append("<dt>Redirect URIs</dt><dd id=\"redirect-uri-list\">");
        AppendUris(body, client.RedirectUris, int.MaxValue);
        body.Append("</dd><dt>Created</dt><dd id=\"created\">").Append(Date(client.CreatedAt)).Append("</dd>")
            .Append("<dt>Updated</dt><dd>").Append(client.UpdatedAt is { } updated ? Date(updated) : Dash).Append("</dd>")
            .Append("<dt>Last used</dt><dd id=\"last-used\">").Append(client.LastUsedAt is { } lastUsed ? Date(lastUsed) : "never").Append("</dd>")
            .Append("</dl></section>");

        body.Append("<section><h2>Edit</h2>")
            .Append(FormStart(frame, "edit-form", path))
            .Append("<label for=\"name\">Name</label>")
            .Append("<input type=\"text\" id=\"name\" name=\"name\" maxlength=\"").Append(ClientService.MaxNameLength).Append("\" value=\"")
            .Append(Encode(nameInput ?? client.ClientName ?? string.Empty)).Append("\">")
            .Append("<label for=\"redirect-uris\">Redirect URIs, one per line</label>")
            .Append("<textarea id=\"redirect-uris\" name=\"redirect_uris\" spellcheck=\"false\">")
            .Append(Encode(redirectUrisInput ?? string.Join('\n', client.RedirectUris))).Append("</textarea>")
            .Append("<div><button type=\"submit\" id=\"save\">Save changes</button></div></form></section>");

        body.Append("<section><h2>Client secret</h2>");
        if (client.ClientSecretHash is null && client.TokenEndpointAuthMethod == Protocol.OAuthConstants.ClientAuthenticationMethods.None)
        {
            body.Append("<p>A public client (<code>token_endpoint_auth_method: none</code>) has no secret.</p>");
        }
        else
        {
            body.Append("<p>Only a hash of the secret is kept. Rotating makes a new secret, shown once; the old one stops working at once.</p>")
                .Append(FormStart(frame, "rotate-form", path + "/rotate-secret"))
                .Append("<button type=\"submit\" id=\"rotate\">Rotate secret</button></form>");
        }

        body.Append("</section><section><h2>Delete</h2><p><a id=\"delete-link\" href=\"").Append(Encode(frame.Url(path + "/delete")))
            .Append("\">Delete this application…</a></p></section>");
        return Layout(frame, Nav.Applications, DisplayName(client), notice, error, body.ToString());
    }

    public static string SecretRotated(DashboardFrame frame, Client client, string secret)
    {
        var body = "<section><p>The new client secret of <strong>" + Encode(DisplayName(client)) + "</strong> (<code>" + Encode(client.ClientId) + "</code>):</p>"
            + "<code class=\"secret\" id=\"new-secret\">" + Encode(secret) + "</code>"
            + "<p><strong>Copy it now: it is not kept and will not be shown again.</strong> The previous secret no longer works.</p>"
            + "<p><a id=\"back\" href=\"" + Encode(frame.Url("/applications/" + Uri.EscapeDataString(client.ClientId))) + "\">Back to the application</a></p></section>";
        return Layout(frame, Nav.Applications, "Secret rotated", null, null, body);
    }

    public static string ConfirmDelete(DashboardFrame frame, Client client)
    {
        var path = "/applications/" + Uri.EscapeDataString(client.ClientId);
        var body = "<section><p>Delete <strong id=\"delete-name\">" + Encode(DisplayName(client)) + "</strong> (<code>" + Encode(client.ClientId) + "</code>)? "
            + "It can no longer sign users in or get tokens. This cannot be undone.</p>"
            + FormStart(frame, "delete-form", path + "/delete")
            + "<button type=\"submit\" class=\"danger\" id=\"confirm-delete\">Delete</button> "
            + "<a id=\"cancel-delete\" href=\"" + Encode(frame.Url(path)) + "\">Cancel</a></form></section>";
        return Layout(frame, Nav.Applications, "Delete application", null, null, body);
    }

    /// <summary>A page for a refused request: not found, a post without a valid anti-forgery token.</summary>
    public static string Problem(DashboardFrame frame, string title, string message)
        => Layout(frame, null, title, null, message, "<p><a href=\"" + Encode(frame.Url("/settings")) + "\">Back to the dashboard</a></p>");

    public static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    private static string Layout(DashboardFrame frame, Nav? current, string title, string? notice, string? error, string body)
    {
        var html = new StringBuilder(4096 + body.Length);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\"><title>").Append(Encode(title)).Append(" · DynReg dashboard</title>")
            .Append("<style>").Append(Style).Append("</style></head><body><header><strong>DynReg dashboard</strong><nav>")
            .Append(NavLink(frame, "/settings", "Advanced settings", current == Nav.Settings, "nav-settings")).Append(' ')
            .Append(NavLink(frame, "/connections", "Connections", current == Nav.Connections, "nav-connections")).Append(' ')
            .Append(NavLink(frame, "/applications", "Applications", current == Nav.Applications, "nav-applications"))
            .Append("</nav><span class=\"user\" id=\"signed-in-as\">").Append(Encode(frame.UserName ?? "signed in")).Append("</span></header>")
            .Append("<main><h1>").Append(Encode(title)).Append("</h1>");
        if (notice is not null)
        {
            html.Append("<p class=\"notice\" id=\"notice\" role=\"status\">").Append(Encode(notice)).Append("</p>");
        }

        if (error is not null)
        {
            html.Append("<p class=\"error\" id=\"error\" role=\"alert\">").Append(Encode(error)).Append("</p>");
        }

        return html.Append(body).Append("</main></body></html>").ToString();
    }

    private static string NavLink(DashboardFrame frame, string path, string text, bool current, string id)
        => $"<a id=\"{id}\" href=\"{Encode(frame.Url(path))}\"{(current ? " aria-current=\"page\"" : string.Empty)}>{Encode(text)}</a>";

    /// <summary>A post form with the anti-forgery field.</summary>
    private static string FormStart(DashboardFrame frame, string? id, string path, string? cssClass = null)
    {
        var tokens = frame.Tokens ?? throw new InvalidOperationException("A page with a form needs anti-forgery tokens.");
        return "<form method=\"post\" action=\"" + Encode(frame.Url(path)) + "\""
            + (id is null ? string.Empty : " id=\"" + id + "\"")
            + (cssClass is null ? string.Empty : " class=\"" + cssClass + "\"") + ">"
            + "<input type=\"hidden\" name=\"" + Encode(tokens.FormFieldName) + "\" value=\"" + Encode(tokens.RequestToken ?? string.Empty) + "\">";
    }

    private static string Option(string value, string text, bool selected)
        => $"<option value=\"{value}\"{(selected ? " selected" : string.Empty)}>{Encode(text)}</option>";

    private static void AppendUris(StringBuilder body, IReadOnlyList<string> uris, int max)
    {
        if (uris.Count == 0)
        {
            body.Append(Dash);
            return;
        }

        body.Append("<ul class=\"uris\">");
        foreach (var uri in uris.Take(max))
        {
            body.Append("<li><code>").Append(Encode(uri)).Append("</code></li>");
        }

        if (uris.Count > max)
        {
            body.Append("<li class=\"muted\">and ").Append(uris.Count - max).Append(" more</li>");
        }

        body.Append("</ul>");
    }

    private static string PageUrl(DashboardFrame frame, string? query, int page)
        => frame.Url("/applications?" + (query is null ? string.Empty : "q=" + Uri.EscapeDataString(query) + "&") + "page=" + page.ToString(CultureInfo.InvariantCulture));

    private static string DisplayName(Client client) => client.ClientName is { Length: > 0 } name ? name : client.ClientId;

    private static string Party(Client client) => client.IsFirstParty ? "First-party" : "Third-party";

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
