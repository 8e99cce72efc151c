namespace DynReg.Middleware.Protocol;

/// <summary>Default endpoint paths, Auth0's, relative to where the endpoints are mapped.</summary>
internal static class EndpointPaths
{
    public const string Discovery = "/.well-known/openid-configuration";
    public const string AuthorizationServerMetadata = "/.well-known/oauth-authorization-server";
    public const string Jwks = "/.well-known/jwks.json";
    public const string Registration = "/oidc/register";
    public const string Token = "/oauth/token";
    public const string Authorize = "/authorize";
    public const string UserInfo = "/userinfo";

    /// <summary>The absolute URL of an endpoint: the issuer (which ends in '/') plus the path.</summary>
    public static string Absolute(Uri issuer, string path) => issuer.AbsoluteUri + path.TrimStart('/');
}
