namespace DynReg.Middleware.Registration;

/// <summary>
/// Client metadata of a registration after validation, with the defaults applied (RFC 7591 §2):
/// what registration policies (<see cref="IRegistrationPolicy"/>) see.
/// </summary>
public sealed record ValidatedClientMetadata
{
    public string? ClientName { get; init; }

    public required IReadOnlyList<string> RedirectUris { get; init; }

    public required string TokenEndpointAuthMethod { get; init; }

    public required IReadOnlyList<string> GrantTypes { get; init; }

    public required IReadOnlyList<string> ResponseTypes { get; init; }

    public required string ApplicationType { get; init; }

    public string? ClientUri { get; init; }

    public string? LogoUri { get; init; }

    public string? PolicyUri { get; init; }

    public string? TosUri { get; init; }

    public IReadOnlyList<string> Contacts { get; init; } = [];

    /// <summary>RFC 7591 §2 <c>scope</c>, normalised (space-separated, no repeats); null when not sent.</summary>
    public string? Scope { get; init; }

    /// <summary>Every URI of the registration: redirect URIs, then the informational ones that were sent.</summary>
    public IEnumerable<string> AllUris()
    {
        foreach (var uri in RedirectUris)
        {
            yield return uri;
        }

        foreach (var uri in (string?[])[ClientUri, LogoUri, PolicyUri, TosUri])
        {
            if (uri is not null)
            {
                yield return uri;
            }
        }
    }
}

/// <summary>The rules a registration is checked against: the tenant's mode and the host's limits.</summary>
internal sealed record RegistrationRules(DynamicClientRegistrationSecurityMode Mode, RegistrationOptions Limits);

/// <summary>A closed result: either metadata or the RFC 7591 §3.2.2 error.</summary>
internal readonly struct ClientMetadataValidationResult
{
    private ClientMetadataValidationResult(ValidatedClientMetadata? metadata, string? error, string? description)
    {
        Metadata = metadata;
        Error = error;
        ErrorDescription = description;
    }

    public ValidatedClientMetadata? Metadata { get; }

    public string? Error { get; }

    public string? ErrorDescription { get; }

    public bool IsValid => Metadata is not null;

    public static ClientMetadataValidationResult Valid(ValidatedClientMetadata metadata) => new(metadata, null, null);

    public static ClientMetadataValidationResult Invalid(string error, string description) => new(null, error, description);
}
