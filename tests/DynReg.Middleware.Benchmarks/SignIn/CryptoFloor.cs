using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DynReg.Middleware.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DynReg.Middleware.Benchmarks.SignIn;

/// <summary>
/// The in-process baseline of the load driver: the cryptography a sign-in or a code exchange
/// cannot avoid, timed in the driver's own process between the load's rounds, with as many threads as the load has virtual users.
/// A sign-in verifies the password with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>
/// (what the sample's in-memory users use) and signs two RS256 JWTs; a code exchange signs two.
/// The JWTs are the ones the server answered, re-signed as they are (same header and payload,
/// same size, a 2048-bit key like the sample's development key): no claims are built here.
/// </summary>
internal sealed class CryptoFloor
{
    private static readonly JsonWebTokenHandler Handler = new();

    private readonly PasswordHasher<InMemoryUserAuthenticator.StoredUser> _hasher = new();
    private readonly InMemoryUserAuthenticator.StoredUser _user;
    private readonly string _password;
    private readonly (string Payload, Dictionary<string, object> Header)[] _tokens;
    private readonly SigningCredentials _credentials;

    public CryptoFloor(string password, params string[] jwts)
    {
        _password = password;
        _user = new InMemoryUserAuthenticator.StoredUser(new UserProfile { Subject = "auth0|floor" }, string.Empty, false);
        _user = _user with { PasswordHash = _hasher.HashPassword(_user, password) };
        var key = new RsaSecurityKey(RSA.Create(2048));
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false))).ComputeJwkThumbprint());
        _credentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        _tokens = [.. jwts.Select(Decode)];
    }

    /// <summary>One password verification and the two tokens: the least a sign-in round trip costs.</summary>
    public void SignIn()
    {
        if (_hasher.VerifyHashedPassword(_user, _user.PasswordHash, _password) == PasswordVerificationResult.Failed)
        {
            throw new InvalidOperationException("The floor's own password did not verify.");
        }

        SignTokens();
    }

    /// <summary>The two tokens only: the least a code exchange costs.</summary>
    public void SignTokens()
    {
        foreach (var (payload, header) in _tokens)
        {
            Handler.CreateToken(payload, _credentials, header);
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on <paramref name="threads"/> threads (the load's concurrency:
    /// on a shared machine the scheduler shares the cores by runnable threads) for
    /// <paramref name="duration"/>; operations per second.
    /// </summary>
    public static FloorResult Measure(Action operation, int threads, TimeSpan duration)
    {
        long done = 0;
        var cpuBefore = CpuTime.OfThisProcess();
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            while (stopwatch.Elapsed < duration)
            {
                operation();
                Interlocked.Increment(ref done);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(workers);
        var elapsed = stopwatch.Elapsed;
        var cpu = CpuTime.OfThisProcess() - cpuBefore;
        return new FloorResult(done / elapsed.TotalSeconds, cpu.TotalMilliseconds / done);
    }

    // typ stays as the server wrote it (at+jwt for access tokens); alg and kid come from our key.
    private static (string, Dictionary<string, object>) Decode(string jwt)
    {
        var parts = jwt.Split('.');
        var header = new JsonWebToken(jwt);
        var extra = new Dictionary<string, object>(StringComparer.Ordinal);
        if (header.Typ is { Length: > 0 } typ)
        {
            extra["typ"] = typ;
        }

        return (Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])), extra);
    }
}

/// <summary>Baseline operations per second, and this process's CPU milliseconds per operation.</summary>
internal sealed record FloorResult(double PerSecond, double CpuPerOperation)
{
    public override string ToString() => FormattableString.Invariant($"{PerSecond:F1}/s, {CpuPerOperation:F3} CPU ms per operation");
}
