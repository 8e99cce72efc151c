namespace DynReg.Middleware.Registration;

/// <summary>
/// Client metadata of a registration after validation, with the defaults applied (RFC 7591 §2):
/// what registration policies (<see cref="IRegistrationPolicy"/>) see. Inside the package it is also
/// the shape the client rules check, for a stored client with a change applied.
/// </summary>
public sealed record ValidatedClientMetadata
{
    /// <summary><c>client_name</c>; shown on the login and consent pages.</summary>
    public string? ClientName { get; init; }

    /// <summary>Registered redirect URIs, verbatim.</summary>
    public required IReadOnlyList<string> RedirectUris { get; init; }

    /// <summary><c>token_endpoint_auth_method</c>: <c>client_secret_post</c>, <c>client_secret_basic</c> or <c>none</c>.</summary>
    public required string TokenEndpointAuthMethod { get; init; }

    /// <summary><c>grant_types</c> the client may use.</summary>
    public required IReadOnlyList<string> GrantTypes { get; init; }

    /// <summary><c>response_types</c> the client may ask <c>/authorize</c> for.</summary>
    public required IReadOnlyList<string> ResponseTypes { get; init; }

    /// <summary><c>application_type</c>: <c>web</c> or <c>native</c>.</summary>
    public required string ApplicationType { get; init; }

    /// <summary><c>client_uri</c>, self-asserted.</summary>
    public string? ClientUri { get; init; }

    /// <summary><c>logo_uri</c>, self-asserted.</summary>
    public string? LogoUri { get; init; }

    /// <summary><c>policy_uri</c>, self-asserted.</summary>
    public string? PolicyUri { get; init; }

    /// <summary><c>tos_uri</c>, self-asserted.</summary>
    public string? TosUri { get; init; }

    /// <summary><c>contacts</c>: e-mail addresses.</summary>
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
