using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DynReg.Middleware.SampleTests;

/// <summary>
/// The sample on its default SQLite store, killed with SIGKILL while registrations are in flight and
/// started again on the same file: every registration that was answered 201 is there, whole.
/// </summary>
public sealed class CrashTests
{
    private static readonly string[] Limits =
    [
        "--DynReg:InitialTenantSettings:EnableDynamicClientRegistration=true",
        "--DynReg:Registration:Limits:PermitsPerIpPerMinute=1000000",
        "--DynReg:Registration:Limits:TenantPermitsPerSecond=1000000",
    ];

    [Fact]
    public async Task Sqlite_KilledMidLoad_EveryClientAnswered201IsThereWhole()
    {
        var folder = Directory.CreateTempSubdirectory("dynreg-crash-");
        try
        {
            await KilledMidLoadAsync([$"--ConnectionStrings:DynReg=Data Source={Path.Combine(folder.FullName, "dynreg.db")}", .. Limits]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PostgreSql_KilledMidLoad_EveryClientAnswered201IsThereWhole()
    {
        // The PostgreSQL server ./test.sh starts; a database of this test's own on it.
        var server = Environment.GetEnvironmentVariable("DYNREG_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("Set DYNREG_TEST_POSTGRES to a PostgreSQL connection string (./test.sh starts a server and sets it).");
        var name = "dynreg_crash_" + Guid.NewGuid().ToString("N");
        await using (var admin = new Npgsql.NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var database = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        await KilledMidLoadAsync([$"--ConnectionStrings:Postgres={database}", .. Limits]);
    }

    private static async Task KilledMidLoadAsync(string[] database)
    {
        var created = new ConcurrentDictionary<string, string>();
        await using (var sample = await SampleProcess.StartAsync(database))
        {
            using var http = sample.CreateClient();
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var name = $"crash {worker}-{i}";
                    try
                    {
                        using var response = await http.PostAsJsonAsync("oidc/register", new { client_name = name, redirect_uris = new[] { $"https://app.example.com/{worker}/{i}" } });
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                            created[json.RootElement.GetProperty("client_id").GetString()!] = name;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process is gone
                    }
                }
            })).ToArray();

            // Killed once well into the load, with requests in flight (SIGKILL: no shutdown at all).
            while (created.Count < 200 && !load.All(t => t.IsCompleted))
            {
                await Task.Delay(50);
            }

            sample.Kill();
            stop.Cancel();
            await Task.WhenAll(load);
            created.Count.ShouldBeGreaterThanOrEqualTo(200, sample.Output);
        }

        await using var restarted = await SampleProcess.StartAsync(database);
        using var client = restarted.CreateClient();
        var token = await ManagementTokenAsync(client);
        foreach (var (clientId, name) in created)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v2/clients/{clientId}");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{clientId} was answered 201 before the crash: {body}");
            using var json = JsonDocument.Parse(body);
            json.RootElement.GetProperty("name").GetString().ShouldBe(name);
            json.RootElement.GetProperty("callbacks").GetArrayLength().ShouldBe(1);
        }
    }

    private static async Task<string> ManagementTokenAsync(HttpClient client)
    {
        using var response = await client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "sample-management-client",
            ["client_secret"] = "sample-management-secret-change-me",
            ["audience"] = client.BaseAddress!.AbsoluteUri + "api/v2/",
        }));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}
