using DynReg.Middleware.Stores.Models;

namespace DynReg.Middleware.Users;

/// <summary>
/// Checks a username and password for the connections of one strategy (for example
/// <c>auth0</c>, a database connection). Hosts implement it over ASP.NET Core Identity or
/// their own user store; <see cref="InMemoryUserAuthenticator"/> serves samples and tests.
/// </summary>
public interface IUserAuthenticator
{
    /// <summary>The connection strategy this authenticator serves, such as <c>auth0</c>.</summary>
    string Strategy { get; }

    Task<UserAuthenticationResult> AuthenticateAsync(Connection connection, string username, string password, CancellationToken cancellationToken);

    /// <summary>
    /// The current profile of a user this authenticator signed in, for <c>/userinfo</c> and refresh
    /// tokens; null when the user is gone or blocked (their refresh tokens then stop working).
    /// </summary>
    Task<UserProfile?> FindBySubjectAsync(Connection connection, string subject, CancellationToken cancellationToken);
}

/// <summary>
/// The user's profile. <see cref="Subject"/> is stable and unique across connections, like
/// Auth0's <c>auth0|…</c> user ids.
/// </summary>
public sealed record UserProfile
{
    public required string Subject { get; init; }

    public string? Email { get; init; }

    public bool EmailVerified { get; init; }

    public string? Name { get; init; }

    public string? Nickname { get; init; }

    public string? Picture { get; init; }
}

/// <summary>Why a sign-in failed, in the words Lock knows (LOCK.md §(d)).</summary>
public enum UserAuthenticationFailure
{
    /// <summary>Unknown user or wrong password: Lock shows "Wrong email or password.".</summary>
    InvalidCredentials,

    /// <summary>Lock shows "The user is blocked.".</summary>
    Blocked,
}

/// <summary>A profile, or the reason there is none.</summary>
public sealed record UserAuthenticationResult(UserProfile? User, UserAuthenticationFailure? Failure)
{
    public bool Succeeded => User is not null;

    public static UserAuthenticationResult Success(UserProfile user) => new(user, null);

    public static UserAuthenticationResult Fail(UserAuthenticationFailure failure) => new(null, failure);
}
