using System.Text.Json;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Discovery;

/// <summary>Maps <c>/.well-known/openid-configuration</c>, <c>/.well-known/oauth-authorization-server</c> and <c>/.well-known/jwks.json</c>.</summary>
internal static class DiscoveryEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        MapMetadata(endpoints, EndpointPaths.Discovery, "DynReg.Discovery");

        // RFC 8414 §3: the same document at the OAuth well-known name, for clients (MCP ones among
        // them) that look there first.
        MapMetadata(endpoints, EndpointPaths.AuthorizationServerMetadata, "DynReg.AuthorizationServerMetadata");

        endpoints.MapGet(EndpointPaths.Jwks, static ([FromServices] JwksBody jwks, HttpContext context) =>
            {
                // Keys change only on a restart with other keys; let verifiers cache briefly.
                context.Response.Headers.CacheControl = "public, max-age=300";
                return TypedResults.Bytes(jwks.Utf8Json, "application/json; charset=utf-8");
            })
            .WithOpenCors()
            .AllowAnonymous()
            .WithName("DynReg.Jwks");
        OpenCors.MapPreflight(endpoints, EndpointPaths.Jwks, HttpMethods.Get);
    }

    /// <summary>
    /// RFC 8414 §3.1 and OpenID Connect Discovery §4: for an issuer with a path, the well-known
    /// names inserted between the host and that path (<c>/.well-known/oauth-authorization-server/tenant</c>),
    /// mapped at the root of the host. Nothing to map for an issuer without a path.
    /// </summary>
    public static void MapPathInserted(IEndpointRouteBuilder endpoints, Uri issuer)
    {
        var path = issuer.AbsolutePath.TrimEnd('/');
        if (path.Length == 0)
        {
            return;
        }

        // Routing matches the path with and without the trailing slash clients differ on.
        MapMetadata(endpoints, EndpointPaths.AuthorizationServerMetadata + path, null);
        MapMetadata(endpoints, EndpointPaths.Discovery + path, null);
    }

    private static void MapMetadata(IEndpointRouteBuilder endpoints, string path, string? name)
    {
        var endpoint = endpoints.MapGet(path, static async (
                [FromServices] ITenantSettingsStore tenantSettings,
                [FromServices] IOptions<DynamicRegistrationOptions> options,
                HttpContext context) =>
            {
                var tenant = await tenantSettings.GetAsync(context.RequestAborted);
                var document = Build(options.Value.Issuer!, tenant.Flags.EnableDynamicClientRegistration);
                return TypedResults.Json(document, DynRegJsonContext.Default.DiscoveryDocument);
            })
            .WithOpenCors()
            .AllowAnonymous();
        if (name is not null)
        {
            endpoint.WithName(name);
        }

        OpenCors.MapPreflight(endpoints, path, HttpMethods.Get);
    }

    internal static DiscoveryDocument Build(Uri issuer, bool registrationEnabled) => new()
    {
        Issuer = issuer.AbsoluteUri,
        AuthorizationEndpoint = EndpointPaths.Absolute(issuer, EndpointPaths.Authorize),
        TokenEndpoint = EndpointPaths.Absolute(issuer, EndpointPaths.Token),
        UserInfoEndpoint = EndpointPaths.Absolute(issuer, EndpointPaths.UserInfo),
        JwksUri = EndpointPaths.Absolute(issuer, EndpointPaths.Jwks),
        RegistrationEndpoint = registrationEnabled ? EndpointPaths.Absolute(issuer, EndpointPaths.Registration) : null,
        ScopesSupported = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess],
        ResponseTypesSupported = [ResponseTypes.Code, ResponseTypes.Token, ResponseTypes.IdToken, ResponseTypes.IdTokenToken],
        ResponseModesSupported = [ResponseModes.Query, ResponseModes.Fragment, ResponseModes.FormPost],
        GrantTypesSupported = [GrantTypes.AuthorizationCode, GrantTypes.Implicit, GrantTypes.ClientCredentials, GrantTypes.RefreshToken],
        SubjectTypesSupported = ["public"],
        IdTokenSigningAlgValuesSupported = [SigningAlgorithms.RS256],
        TokenEndpointAuthMethodsSupported =
            [ClientAuthenticationMethods.ClientSecretPost, ClientAuthenticationMethods.ClientSecretBasic, ClientAuthenticationMethods.None],
        CodeChallengeMethodsSupported = [CodeChallengeMethods.S256],
        ClaimsSupported = ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp", "name", "nickname", "picture", "email", "email_verified"],
    };
}

/// <summary>The JWKS, serialised once: the keys do not change while the process runs.</summary>
internal sealed class JwksBody(SigningKeyRing keys)
{
    public byte[] Utf8Json { get; } = JsonSerializer.SerializeToUtf8Bytes(
        new JwksDocument([.. keys.PublishedKeys.Select(k => new PublicRsaJwk(k.Kty, k.Use, k.Alg, k.Kid, k.N, k.E))]),
        DynRegJsonContext.Default.JwksDocument);
}
