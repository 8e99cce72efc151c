// The demo page, GET /demo: a browser-only client that walks the seed. It reads the flag,
// registers itself dynamically (redirect_uri {origin}/demo/callback), sends the browser to
// /authorize with response_type=id_token token, shows the decoded tokens on /demo/callback
// and calls GET /api/appointments with the access token. Static files in wwwroot/demo, no
// outside resources, a strict CSP (scripts from this origin only, no inline script).
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DynReg.Middleware.Stores;
using Microsoft.Extensions.FileProviders;

internal static class DemoPage
{
    private const string SelfClient = "DynReg.Sample.Self";

    /// <summary>What the demo needs to know about the host.</summary>
    public sealed record Settings(Uri Issuer, string Connection, string Audience, string? ManagementClientId, string? ManagementClientSecret);

    public static void AddDemoPage(this WebApplicationBuilder builder, Uri issuer)
        => builder.Services.AddHttpClient(SelfClient, client => client.BaseAddress = issuer)
            .ConfigurePrimaryHttpMessageHandler(() => SampleHttps.SelfBackchannel(issuer, builder.Configuration, builder.Environment));

    public static void MapDemoPage(this WebApplication app, Settings settings)
    {
        var files = app.Environment.WebRootFileProvider;
        var issuerOrigin = settings.Issuer.GetLeftPart(UriPartial.Authority);

        app.MapGet("/demo", (HttpContext context) => Page(context, files, issuerOrigin));
        app.MapGet("/demo/callback", (HttpContext context) => Page(context, files, issuerOrigin));
        app.MapGet("/demo/demo.js", (HttpContext context) => Asset(context, files, "demo/demo.js", "text/javascript; charset=utf-8"));
        app.MapGet("/demo/demo.css", (HttpContext context) => Asset(context, files, "demo/demo.css", "text/css; charset=utf-8"));

        // What the page shows before it starts: the flag, the domain connections, the API to ask for.
        app.MapGet("/demo/status", async (ITenantSettingsStore tenant, IConnectionStore connections, CancellationToken cancellationToken) =>
        {
            var current = await tenant.GetAsync(cancellationToken);
            var domainConnections = new List<string>();
            for (var page = 0; ; page++)
            {
                var list = await connections.ListAsync(page, 50, cancellationToken);
                domainConnections.AddRange(list.Items.Where(c => c.IsDomainConnection).Select(c => c.Name));
                if (list.Items.Count == 0 || (page + 1) * 50 >= list.Total)
                {
                    break;
                }
            }

            return Results.Json(new
            {
                registration_enabled = current.Flags.EnableDynamicClientRegistration,
                security_mode = current.DynamicClientRegistrationSecurityMode.ToString().ToLowerInvariant(),
                domain_connections = domainConnections,
                audience = settings.Audience,
                scope = "openid profile email " + SampleApi.Scope,
                can_enable = app.Environment.IsDevelopment() && settings.ManagementClientId is not null,

                // Development only: the first of Sample:Users, so the page can say how to sign in.
                demo_user = app.Environment.IsDevelopment() && app.Configuration.GetSection("Sample:Users:0") is { } user && user["Email"] is { } email
                    ? new { email, password = user["Password"] }
                    : null,
            });
        });

        // Development only: the button "turn it on" runs the README walkthrough's steps 1-3
        // (management token, enable the flag, promote the connection) server-side with the
        // sample's management client, exactly as the curl commands do.
        if (app.Environment.IsDevelopment() && settings.ManagementClientId is not null)
        {
            app.MapPost("/demo/enable", (HttpContext context, IHttpClientFactory factory, CancellationToken cancellationToken)
                => EnableAsync(context, factory.CreateClient(SelfClient), settings, cancellationToken));
        }
    }

    private static IResult Page(HttpContext context, IFileProvider files, string issuerOrigin)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + $"connect-src 'self' {issuerOrigin}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return Asset(context, files, "demo/index.html", "text/html; charset=utf-8");
    }

    private static IResult Asset(HttpContext context, IFileProvider files, string path, string contentType)
    {
        var file = files.GetFileInfo(path);
        if (!file.Exists)
        {
            return Results.NotFound();
        }

        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Stream(file.CreateReadStream(), contentType);
    }

    private static async Task<IResult> EnableAsync(HttpContext context, HttpClient issuer, Settings settings, CancellationToken cancellationToken)
    {
        // A state-changing call: only from this origin's own page (browsers always send Origin on POST).
        var request = context.Request;
        if (request.Headers.Origin.ToString() != $"{request.Scheme}://{request.Host}")
        {
            return Results.Json(new { error = "access_denied", error_description = "Only the demo page of this origin may do this." }, statusCode: StatusCodes.Status403Forbidden);
        }

        var steps = new List<string>();
        async Task<JsonNode?> Send(HttpMethod method, string path, object? body, string? token)
        {
            using var message = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                message.Content = JsonContent.Create(body);
            }

            if (token is not null)
            {
                message.Headers.Authorization = new("Bearer", token);
            }

            using var response = await issuer.SendAsync(message, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            steps.Add($"{method} {path} → {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}: {text}");
            }

            return JsonNode.Parse(text);
        }

        try
        {
            var token = (await Send(HttpMethod.Post, "oauth/token", new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = settings.ManagementClientId!,
                ["client_secret"] = settings.ManagementClientSecret!,
                ["audience"] = settings.Issuer.AbsoluteUri + "api/v2/",
            }, null))!["access_token"]!.GetValue<string>();
            await Send(HttpMethod.Patch, "api/v2/tenants/settings", new { flags = new { enable_dynamic_client_registration = true } }, token);
            var found = await Send(HttpMethod.Get, "api/v2/connections?name=" + Uri.EscapeDataString(settings.Connection), null, token);
            if (found is JsonArray { Count: > 0 } list && list[0]?["id"]?.GetValue<string>() is { } id)
            {
                await Send(HttpMethod.Patch, "api/v2/connections/" + Uri.EscapeDataString(id), new { is_domain_connection = true }, token);
            }
            else
            {
                steps.Add($"no connection named {settings.Connection}");
            }

            return Results.Json(new { steps });
        }
        catch (HttpRequestException exception)
        {
            return Results.Json(new { error = "server_error", error_description = exception.Message, steps }, statusCode: StatusCodes.Status502BadGateway);
        }
    }
}
