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

    /// <summary>Checks <paramref name="username"/> and <paramref name="password"/> for a user of <paramref name="connection"/>.</summary>
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
    /// <summary>The <c>sub</c> claim: stable, unique across connections.</summary>
    public required string Subject { get; init; }

    /// <summary>The <c>email</c> claim (scope <c>email</c>).</summary>
    public string? Email { get; init; }

    /// <summary>The <c>email_verified</c> claim (scope <c>email</c>).</summary>
    public bool EmailVerified { get; init; }

    /// <summary>The <c>name</c> claim (scope <c>profile</c>).</summary>
    public string? Name { get; init; }

    /// <summary>The <c>nickname</c> claim (scope <c>profile</c>).</summary>
    public string? Nickname { get; init; }

    /// <summary>The <c>picture</c> claim (scope <c>profile</c>), an absolute URL.</summary>
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
    /// <summary>True when <see cref="User"/> is set.</summary>
    public bool Succeeded => User is not null;

    /// <summary>The user signed in.</summary>
    public static UserAuthenticationResult Success(UserProfile user) => new(user, null);

    /// <summary>No sign-in, for <paramref name="failure"/>.</summary>
    public static UserAuthenticationResult Fail(UserAuthenticationFailure failure) => new(null, failure);
}
