using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Identity;

namespace DynReg.Middleware.Users;

/// <summary>
/// Users of database connections (strategy <c>auth0</c>) held in memory, passwords hashed
/// with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>. For samples and tests.
/// </summary>
public sealed class InMemoryUserAuthenticator : IUserAuthenticator
{
    private readonly ConcurrentDictionary<(string Connection, string Email), StoredUser> _users = new();
    private readonly PasswordHasher<StoredUser> _hasher = new();

    // Verified when the user is unknown, so a wrong e-mail costs as long as a wrong password.
    private readonly StoredUser _nobody;

    /// <summary>Starts with <paramref name="users"/>; more can be added with <see cref="Add"/>.</summary>
    public InMemoryUserAuthenticator(IEnumerable<InMemoryUser> users)
    {
        _nobody = new StoredUser(new UserProfile { Subject = "auth0|nobody" }, string.Empty, false);
        _nobody = _nobody with { PasswordHash = _hasher.HashPassword(_nobody, Guid.NewGuid().ToString()) };
        foreach (var user in users)
        {
            Add(user);
        }
    }

    /// <inheritdoc />
    public string Strategy => "auth0";

    /// <summary>Adds (or replaces) a user of <see cref="InMemoryUser.Connection"/>.</summary>
    public void Add(InMemoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var profile = new UserProfile
        {
            Subject = "auth0|" + StableId(user.Connection, user.Email),
            Email = user.Email,
            EmailVerified = true,
            Name = user.Name ?? user.Email,
            Nickname = user.Email.Split('@')[0],
        };
        var stored = new StoredUser(profile, string.Empty, user.Blocked);
        _users[(user.Connection, user.Email.ToLowerInvariant())] = stored with { PasswordHash = _hasher.HashPassword(stored, user.Password) };
    }

    /// <inheritdoc />
    public Task<UserAuthenticationResult> AuthenticateAsync(Connection connection, string username, string password, CancellationToken cancellationToken)
    {
        var found = _users.TryGetValue((connection.Name, username.Trim().ToLowerInvariant()), out var user);
        var candidate = found ? user! : _nobody;
        var verified = _hasher.VerifyHashedPassword(candidate, candidate.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (!found || !verified)
        {
            return Task.FromResult(UserAuthenticationResult.Fail(UserAuthenticationFailure.InvalidCredentials));
        }

        return Task.FromResult(candidate.Blocked
            ? UserAuthenticationResult.Fail(UserAuthenticationFailure.Blocked)
            : UserAuthenticationResult.Success(candidate.Profile));
    }

    /// <inheritdoc />
    public Task<UserProfile?> FindBySubjectAsync(Connection connection, string subject, CancellationToken cancellationToken)
        => Task.FromResult(_users.Values.FirstOrDefault(u => u.Profile.Subject == subject && !u.Blocked)?.Profile);

    // The same user id on every start and instance: a hash of connection and e-mail.
    private static string StableId(string connection, string email)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(connection + "\n" + email.ToLowerInvariant())))[..24];

    /// <summary>A user as kept here; public only because PasswordHasher needs the type.</summary>
    public sealed record StoredUser(UserProfile Profile, string PasswordHash, bool Blocked);
}

/// <summary>A user declared for <see cref="InMemoryUserAuthenticator"/>.</summary>
public sealed record InMemoryUser(string Connection, string Email, string Password, string? Name = null, bool Blocked = false);
