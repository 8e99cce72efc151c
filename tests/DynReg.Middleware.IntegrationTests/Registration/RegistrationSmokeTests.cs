using System.Net;
using System.Text.Json;
using DynReg.Middleware.Testing;

namespace DynReg.Middleware.IntegrationTests.Registration;

public sealed class RegistrationSmokeTests
{
    [Fact]
    public async Task Register_SeedRequest_Returns201WithSecret()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.RegisterAsync("""{"client_name":"My Dynamic Client","redirect_uris":["https://application.example.com/callback","https://application.example.com/callback2"]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("client_name").GetString().ShouldBe("My Dynamic Client");
        body.RootElement.GetProperty("client_secret_expires_at").GetInt64().ShouldBe(0);
        (await host.CountClientsAsync()).ShouldBe(1);
    }
}
