namespace DynReg.Middleware;

/// <summary>
/// How dynamically registered clients are constrained (Auth0's
/// <c>dynamic_client_registration_security_mode</c>).
/// </summary>
public enum DynamicClientRegistrationSecurityMode
{
    /// <summary>
    /// The flow of Auth0's original document: implicit allowed, errors at <c>/authorize</c>
    /// redirect once client and redirect URI are trusted. The default.
    /// </summary>
    Permissive,

    /// <summary>
    /// Client ids start with <c>tpc_</c>; only <c>authorization_code</c> and <c>refresh_token</c>;
    /// PKCE (S256) always; errors at <c>/authorize</c> show a page instead of redirecting.
    /// Recommended for production.
    /// </summary>
    Strict,
}
