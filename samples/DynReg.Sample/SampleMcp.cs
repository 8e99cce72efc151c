// The host's MCP server at /mcp (Streamable HTTP) with one tool, list_appointments: the signed-in
// user's appointments, the demo data of GET /api/appointments. Bearer tokens issued by this very
// provider for the audience {issuer}mcp (the MCP URL, also the RFC 8707 resource) with the scope
// mcp:tools. Without one, the 401 points MCP clients at the RFC 9728 protected-resource metadata,
// which names this provider as the authorization server (MCP specification, Authorization).
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

internal static class SampleMcp
{
    public const string Scope = "mcp:tools";
    public const string ToolName = "list_appointments";

    // The MCP package's handler: serves the metadata, writes the 401 challenge, and forwards
    // authentication to the JwtBearer scheme, which validates the token.
    private const string Scheme = "SampleMcp";
    private const string BearerScheme = "SampleMcp.Bearer";
    private const string Policy = "SampleMcp.mcp:tools";
    private const string Path = "/mcp";

    /// <summary>The MCP server's URL, which is also its audience: <c>{issuer}mcp</c>.</summary>
    public static string Url(Uri issuer) => issuer.AbsoluteUri + Path.TrimStart('/');

    /// <summary>
    /// RFC 9728 §3.1: the metadata of the resource <c>https://host/p</c> is at
    /// <c>https://host/.well-known/oauth-protected-resource/p</c>.
    /// </summary>
    public static Uri MetadataUrl(Uri issuer) => new(issuer, "/.well-known/oauth-protected-resource" + new Uri(Url(issuer)).AbsolutePath);

    public static void AddSampleMcp(this WebApplicationBuilder builder, Uri issuer)
    {
        var url = Url(issuer);
        builder.Services.AddAuthentication()
            .AddJwtBearer(BearerScheme, options => SampleApi.ValidateTokensOf(options, issuer, url, builder))
            .AddMcp(Scheme, "Appointments MCP server", options =>
            {
                options.ForwardAuthenticate = BearerScheme;
                options.ResourceMetadataUri = MetadataUrl(issuer);
                options.ResourceMetadata = new ProtectedResourceMetadata
                {
                    Resource = url,
                    // The issuer exactly as discovery prints it: clients compare the two (RFC 8414 §3.3).
                    AuthorizationServers = [issuer.AbsoluteUri],
                    ScopesSupported = [Scope],
                    BearerMethodsSupported = ["header"],
                };
            });
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => SampleApi.HasScope(context.User, Scope)));

        // Stateless: no session to keep between requests, so any instance answers any request.
        builder.Services.AddMcpServer()
            .WithHttpTransport(options => options.Stateless = true)
            .WithTools([McpServerTool.Create(ListAppointments, new McpServerToolCreateOptions
            {
                Name = ToolName,
                Title = "List my appointments",
                Description = "Lists the signed-in user's upcoming appointments: id, title and start time (UTC).",
                ReadOnly = true,
                Idempotent = true,
                OpenWorld = false,
            })]);
    }

    public static void MapSampleMcp(this WebApplication app)
    {
        app.MapMcp(Path).RequireAuthorization(Policy);
    }

    // The same JSON as GET /api/appointments, as the tool's text content.
    private static string ListAppointments(RequestContext<CallToolRequestParams> request)
        => JsonSerializer.Serialize(SampleApi.AppointmentsOf(request.JsonRpcRequest.Context?.User), JsonSerializerOptions.Web);
}
