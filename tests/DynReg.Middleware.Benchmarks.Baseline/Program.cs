// The baseline for tests/DynReg.Middleware.Benchmarks/wrk/run-registration.sh: a minimal API
// on Kestrel whose POST /register does the least a registration can (see BaselineRegistration).
using System.Collections.Concurrent;
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

app.Run();
