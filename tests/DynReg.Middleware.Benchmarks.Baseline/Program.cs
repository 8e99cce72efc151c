// The baseline for tests/DynReg.Middleware.Benchmarks/wrk/run-registration.sh and run-token.sh:
// a minimal API on Kestrel whose POST /register does the least a registration can (see
// BaselineRegistration) and whose POST /token only signs an RS256 JWT (see BaselineToken).
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using DynReg.Middleware.Benchmarks.Baseline;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var app = builder.Build();
var store = new ConcurrentDictionary<string, BaselineClient>(StringComparer.Ordinal);
var time = TimeProvider.System;

app.MapGet("/", () => Results.Text("baseline", "text/plain"));
app.MapPost("/register", async (HttpContext context) =>
{
    JsonDocument document;
    try
    {
        document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
    }
    catch (JsonException)
    {
        return Results.BadRequest();
    }

    using (document)
    {
        var response = BaselineRegistration.Register(document.RootElement, store, time);
        return response is null
            ? Results.BadRequest()
            : Results.Json(response, BaselineJsonContext.Default.BaselineResponse, statusCode: StatusCodes.Status201Created);
    }
});

// A fresh 2048-bit key, the size of the sample's development key. The issuer is what the
// sample would use on the same port; the claims come from the form, as on /oauth/token.
var signer = new BaselineToken(RSA.Create(2048), (app.Configuration["urls"] ?? "http://127.0.0.1/").Split(';')[0].TrimEnd('/') + "/",
    TimeSpan.FromHours(24), time);
app.MapPost("/token", async (HttpContext context) =>
{
    if (!context.Request.HasFormContentType)
    {
        return Results.BadRequest();
    }

    var form = await context.Request.ReadFormAsync(context.RequestAborted);
    string clientId = form["client_id"].ToString(), audience = form["audience"].ToString(), scope = form["scope"].ToString();
    if (clientId.Length == 0 || audience.Length == 0)
    {
        return Results.BadRequest();
    }

    context.Response.Headers.CacheControl = "no-store";
    context.Response.Headers.Pragma = "no-cache";
    var token = signer.Sign(clientId, audience, scope);
    return Results.Json(new BaselineTokenResponse(token, "Bearer", (long)signer.Lifetime.TotalSeconds, scope), BaselineTokenJsonContext.Default.BaselineTokenResponse);
});

app.Run();
