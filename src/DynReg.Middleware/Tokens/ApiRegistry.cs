using DynReg.Middleware.Management;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Tokens;

/// <summary>The APIs clients may ask tokens for: the Management API and the host's own.</summary>
internal sealed class ApiRegistry
{
    private readonly Dictionary<string, ApiResource> _byIdentifier;

    public ApiRegistry(IOptions<DynamicRegistrationOptions> options)
    {
        var value = options.Value;
        ManagementAudience = ManagementApi.Audience(value.Issuer!);
        _byIdentifier = new Dictionary<string, ApiResource>(StringComparer.Ordinal)
        {
            [ManagementAudience] = new ApiResource(ManagementAudience, "Management API", new HashSet<string>(ManagementApi.AllScopes, StringComparer.Ordinal)),
        };
        foreach (var api in value.Apis)
        {
            _byIdentifier[api.Identifier] = new ApiResource(api.Identifier, api.Name ?? api.Identifier, new HashSet<string>(api.Scopes, StringComparer.Ordinal));
        }
    }

    public string ManagementAudience { get; }

    /// <summary>Audiences are identifiers, compared exactly.</summary>
    public ApiResource? Find(string audience) => _byIdentifier.GetValueOrDefault(audience);
}

/// <summary>An API (Auth0: resource server) and its scopes.</summary>
internal sealed record ApiResource(string Identifier, string Name, IReadOnlySet<string> Scopes);
