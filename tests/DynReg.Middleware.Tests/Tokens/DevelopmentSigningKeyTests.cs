using System.Text.Json;
using DynReg.Middleware.Testing;
using DynReg.Middleware.Tests.Hosting;
using DynReg.Middleware.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.Tests.Tokens;

public sealed class DevelopmentSigningKeyTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dynreg-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    // A directory that does not exist yet: the key's directory is created too.
    private string KeyPath => Path.Combine(_directory, "keys", "signing-key.pem");

    private Task<WebApplication> StartAsync() => BareHost.StartAsync(o => o.Issuer = TestHost.Issuer, b => b.AddDevelopmentSigningKey(KeyPath));

    private static async Task<string> PublishedKidAsync(WebApplication app)
    {
        using var client = app.GetTestClient();
        client.BaseAddress = TestHost.Issuer;
        using var jwks = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks.json"));
        var keys = jwks.RootElement.GetProperty("keys");
        keys.GetArrayLength().ShouldBe(1);
        return keys[0].GetProperty("kid").GetString()!;
    }

    [Fact]
    public async Task AddDevelopmentSigningKey_FirstUse_WritesPkcs8PemReadableOnlyByOwner()
    {
        await using var app = await StartAsync();

        var kid = await PublishedKidAsync(app);

        File.Exists(KeyPath).ShouldBeTrue();
        var pem = await File.ReadAllTextAsync(KeyPath);
        pem.ShouldStartWith("-----BEGIN PRIVATE KEY-----");
        pem.TrimEnd().ShouldEndWith("-----END PRIVATE KEY-----");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(KeyPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        app.Services.GetRequiredService<SigningKeyRing>().Current.Kid.ShouldBe(kid);
        Directory.GetFiles(Path.GetDirectoryName(KeyPath)!).ShouldBe([KeyPath], "no temporary file is left behind");
    }

    [Fact]
    public async Task AddDevelopmentSigningKey_SecondHostSamePath_PublishesSameKid()
    {
        string firstKid;
        await using (var first = await StartAsync())
        {
            firstKid = await PublishedKidAsync(first);
        }

        var pem = await File.ReadAllTextAsync(KeyPath);
        await using var second = await StartAsync();

        (await PublishedKidAsync(second)).ShouldBe(firstKid);
        (await File.ReadAllTextAsync(KeyPath)).ShouldBe(pem, "the key is reused, not rewritten");
    }

    [Fact]
    public async Task AddDevelopmentSigningKey_HostsRacingToCreateIt_AllEndWithTheSameKey()
    {
        var apps = new List<WebApplication>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                apps.Add(await StartAsync());
            }

            // Each host creates the key when its key ring is first needed; ask all of them at once.
            var kids = await Task.WhenAll(apps.Select(app => Task.Run(() => app.Services.GetRequiredService<SigningKeyRing>().Current.Kid)));

            kids.Distinct().Count().ShouldBe(1);
            foreach (var app in apps)
            {
                (await PublishedKidAsync(app)).ShouldBe(kids[0]);
            }

            Directory.GetFiles(Path.GetDirectoryName(KeyPath)!).ShouldBe([KeyPath], "no temporary file is left behind");
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AddDevelopmentSigningKey_WithConfiguredKey_IsNotUsed()
    {
        await using var app = await BareHost.StartAsync(
            o => o.Issuer = TestHost.Issuer,
            b => b.AddSigningKey(TestHost.SigningKey).AddDevelopmentSigningKey(KeyPath));

        await PublishedKidAsync(app);

        File.Exists(KeyPath).ShouldBeFalse();
    }
}
