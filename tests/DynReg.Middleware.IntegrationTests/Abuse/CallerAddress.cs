using System.Net;
using DynReg.Middleware.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.IntegrationTests.Abuse;

/// <summary>
/// TestServer requests carry no remote address; this stands in for the network: a test header
/// becomes the connection's remote IP, as a forwarded-headers middleware would do behind a proxy.
/// </summary>
internal static class CallerAddress
{
    public const string Header = "X-Test-Remote-Address";

    /// <summary>For <c>TestHost.StartAsync(map: ...)</c>.</summary>
    public static void Use(WebApplication app)
        => app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value) && IPAddress.TryParse(value, out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return next(context);
        });

    /// <summary>Registers the seed's minimal client as if from <paramref name="address"/>.</summary>
    public static async Task<HttpResponseMessage> RegisterFromAsync(this TestHost host, string address, string json = """{"redirect_uris":["https://app.example.com/callback"]}""")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oidc/register") { Content = TestHost.Json(json) };
        request.Headers.Add(Header, address);
        return await host.Client.SendAsync(request);
    }
}
