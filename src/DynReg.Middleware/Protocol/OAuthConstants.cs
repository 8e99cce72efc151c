namespace DynReg.Middleware.Protocol;

/// <summary>Protocol words as the specifications spell them: never write these as literals elsewhere.</summary>
internal static class OAuthConstants
{
    /// <summary>Error codes of RFC 6749 §4.1.2.1/§5.2 and RFC 7591 §3.2.2.</summary>
    public static class Errors
    {
        public const string InvalidRequest = "invalid_request";
        public const string InvalidClient = "invalid_client";
        public const string InvalidGrant = "invalid_grant";
        public const string UnauthorizedClient = "unauthorized_client";
        public const string UnsupportedGrantType = "unsupported_grant_type";
        public const string UnsupportedResponseType = "unsupported_response_type";
        public const string InvalidScope = "invalid_scope";
        public const string AccessDenied = "access_denied";
        public const string ServerError = "server_error";
        public const string TemporarilyUnavailable = "temporarily_unavailable";
        public const string InvalidRedirectUri = "invalid_redirect_uri";
        public const string InvalidClientMetadata = "invalid_client_metadata";

        /// <summary>RFC 8707 §2: the resource is unknown, malformed, or more than the server allows.</summary>
        public const string InvalidTarget = "invalid_target";

        /// <summary>
        /// A rate limit refused the request (429, RFC 6585 §4). Neither RFC 6749 nor RFC 7591 has a
        /// code for it; this is the word Auth0's Authentication API answers 429 with.
        /// </summary>
        public const string TooManyRequests = "too_many_requests";
    }

    /// <summary>Request parameters of RFC 6749, RFC 7636 and OpenID Connect Core §3.1.2.1, plus Auth0's.</summary>
    public static class Parameters
    {
        public const string ClientId = "client_id";
        public const string RedirectUri = "redirect_uri";
        public const string ResponseType = "response_type";
        public const string ResponseMode = "response_mode";
        public const string Scope = "scope";
        public const string State = "state";
        public const string Nonce = "nonce";
        public const string Prompt = "prompt";
        public const string Audience = "audience";

        /// <summary>RFC 8707 §2: the API the token is for; may be repeated.</summary>
        public const string Resource = "resource";

        /// <summary>RFC 9207 §2: the issuer, on every authorization response.</summary>
        public const string Issuer = "iss";
        public const string Connection = "connection";
        public const string CodeChallenge = "code_challenge";
        public const string CodeChallengeMethod = "code_challenge_method";
        public const string CodeVerifier = "code_verifier";
        public const string Code = "code";
        public const string GrantType = "grant_type";
        public const string RefreshToken = "refresh_token";
        public const string Request = "request";
        public const string RequestUri = "request_uri";
        public const string Error = "error";
        public const string ErrorDescription = "error_description";
        public const string AccessToken = "access_token";
        public const string IdToken = "id_token";
        public const string TokenType = "token_type";
        public const string ExpiresIn = "expires_in";
    }

    /// <summary>OpenID Connect Core §3.1.2.6 error codes.</summary>
    public static class OidcErrors
    {
        public const string LoginRequired = "login_required";
        public const string ConsentRequired = "consent_required";
        public const string RequestNotSupported = "request_not_supported";
        public const string RequestUriNotSupported = "request_uri_not_supported";
    }

    public static class Prompts
    {
        public const string None = "none";
        public const string Login = "login";
        public const string Consent = "consent";
    }

    /// <summary>Client metadata names of RFC 7591 §2 and OpenID Connect Registration §2.</summary>
    public static class Metadata
    {
        public const string ClientId = "client_id";
        public const string ClientSecret = "client_secret";
        public const string ClientIdIssuedAt = "client_id_issued_at";
        public const string ClientSecretExpiresAt = "client_secret_expires_at";
        public const string ClientName = "client_name";
        public const string RedirectUris = "redirect_uris";
        public const string TokenEndpointAuthMethod = "token_endpoint_auth_method";
        public const string GrantTypes = "grant_types";
        public const string ResponseTypes = "response_types";
        public const string ApplicationType = "application_type";
        public const string ClientUri = "client_uri";
        public const string LogoUri = "logo_uri";
        public const string PolicyUri = "policy_uri";
        public const string TosUri = "tos_uri";
        public const string Contacts = "contacts";
        public const string Scope = "scope";
        public const string Jwks = "jwks";
        public const string JwksUri = "jwks_uri";
        public const string SectorIdentifierUri = "sector_identifier_uri";
        public const string InitiateLoginUri = "initiate_login_uri";
    }

    public static class GrantTypes
    {
        public const string AuthorizationCode = "authorization_code";
        public const string Implicit = "implicit";
        public const string RefreshToken = "refresh_token";
        public const string ClientCredentials = "client_credentials";
    }

    public static class ResponseTypes
    {
        public const string Code = "code";
        public const string Token = "token";
        public const string IdToken = "id_token";
        public const string IdTokenToken = "id_token token";
    }

    public static class ResponseModes
    {
        public const string Query = "query";
        public const string Fragment = "fragment";
        public const string FormPost = "form_post";
    }

    public static class ClientAuthenticationMethods
    {
        public const string ClientSecretPost = "client_secret_post";
        public const string ClientSecretBasic = "client_secret_basic";
        public const string None = "none";
    }

    public static class ApplicationTypes
    {
        public const string Web = "web";
        public const string Native = "native";
    }

    public static class Scopes
    {
        public const string OpenId = "openid";
        public const string Profile = "profile";
        public const string Email = "email";
        public const string OfflineAccess = "offline_access";
    }

    public static class CodeChallengeMethods
    {
        public const string S256 = "S256";
    }

    public static class SigningAlgorithms
    {
        public const string RS256 = "RS256";
    }
}
