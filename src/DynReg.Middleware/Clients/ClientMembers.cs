using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Clients;

/// <summary>What a member's value is on the wire (RFC 7591 §2 gives each member a JSON type).</summary>
internal enum ClientMemberKind
{
    /// <summary>A string shown to people.</summary>
    Text,

    /// <summary>A string from a closed set (an auth method, an application type).</summary>
    Code,

    /// <summary>One URI.</summary>
    Uri,

    /// <summary>An array of URIs.</summary>
    UriList,

    /// <summary>An array of strings from a closed set.</summary>
    CodeList,

    /// <summary>An array of e-mail addresses.</summary>
    EmailList,

    /// <summary>Space-separated scope values (RFC 6749 §3.3).</summary>
    Scope,
}

/// <summary>Which rules a URI member follows.</summary>
internal enum UriClass
{
    /// <summary>Not a URI.</summary>
    None,

    /// <summary>A redirect URI: RFC 6749 §3.1.2, RFC 8252 §7, OpenID Connect Registration 1.0 §2.</summary>
    Redirect,

    /// <summary>A self-asserted page or image for people (RFC 7591 §2, §5): http or https, no fragment.</summary>
    Information,

    /// <summary>A document the server would fetch (OpenID Connect Registration 1.0 §2): https only.</summary>
    Https,
}

/// <summary>Which of the host's limits caps a member's length (each string, or each item of an array).</summary>
internal enum LengthLimit
{
    /// <summary>No length rule of its own (a closed set bounds it).</summary>
    None,

    /// <summary><see cref="RegistrationOptions.MaxStringLength"/>.</summary>
    String,

    /// <summary><see cref="RegistrationOptions.MaxUriLength"/>.</summary>
    Uri,

    /// <summary><see cref="ClientMember.MaxScopeLength"/>.</summary>
    Scope,
}

/// <summary>
/// One client metadata member: its RFC 7591 name, its Management API (Auth0) name when it has one,
/// its kind, the limit on its length and, for URIs, which URI rules apply.
/// </summary>
internal sealed record ClientMember(string Name, ClientMemberKind Kind, LengthLimit Limit, UriClass UriClass = UriClass.None, string? ManagementName = null)
{
    /// <summary>Longest accepted <c>scope</c>: scope values are short, and the consent page lists them all.</summary>
    public const int MaxScopeLength = 2048;

    /// <summary>The most characters one value (or one item) may have under <paramref name="limits"/>.</summary>
    public int MaxLength(RegistrationOptions limits) => Limit switch
    {
        LengthLimit.String => limits.MaxStringLength,
        LengthLimit.Uri => limits.MaxUriLength,
        LengthLimit.Scope => MaxScopeLength,
        _ => int.MaxValue,
    };
}

/// <summary>
/// Every client metadata member the package knows, in one table (as node-oidc-provider keeps its
/// client schema): registration reads by it, the rules check by it, the Management API names by it.
/// </summary>
internal static class ClientMembers
{
    public static readonly ClientMember ApplicationType = new(Metadata.ApplicationType, ClientMemberKind.Code, LengthLimit.None);
    public static readonly ClientMember RedirectUris = new(Metadata.RedirectUris, ClientMemberKind.UriList, LengthLimit.Uri, UriClass.Redirect, "callbacks");
    public static readonly ClientMember TokenEndpointAuthMethod = new(Metadata.TokenEndpointAuthMethod, ClientMemberKind.Code, LengthLimit.None);
    public static readonly ClientMember GrantTypes = new(Metadata.GrantTypes, ClientMemberKind.CodeList, LengthLimit.None);
    public static readonly ClientMember ResponseTypes = new(Metadata.ResponseTypes, ClientMemberKind.CodeList, LengthLimit.None);
    public static readonly ClientMember ClientName = new(Metadata.ClientName, ClientMemberKind.Text, LengthLimit.String, ManagementName: "name");
    public static readonly ClientMember ClientUri = new(Metadata.ClientUri, ClientMemberKind.Uri, LengthLimit.Uri, UriClass.Information);
    public static readonly ClientMember LogoUri = new(Metadata.LogoUri, ClientMemberKind.Uri, LengthLimit.Uri, UriClass.Information, Metadata.LogoUri);
    public static readonly ClientMember PolicyUri = new(Metadata.PolicyUri, ClientMemberKind.Uri, LengthLimit.Uri, UriClass.Information);
    public static readonly ClientMember TosUri = new(Metadata.TosUri, ClientMemberKind.Uri, LengthLimit.Uri, UriClass.Information);
    public static readonly ClientMember Contacts = new(Metadata.Contacts, ClientMemberKind.EmailList, LengthLimit.String);
    public static readonly ClientMember Scope = new(Metadata.Scope, ClientMemberKind.Scope, LengthLimit.Scope);

    // Checked when sent, never kept: neither key material nor pairwise subjects are supported.
    public static readonly ClientMember JwksUri = new(Metadata.JwksUri, ClientMemberKind.Uri, LengthLimit.Uri, UriClass.Https);
    public static readonly ClientMember SectorIdentifierUri = new(Metadata.SectorIdentifierUri, ClientMemberKind.Uri, LengthLimit.Uri, UriClass.Https);
    public static readonly ClientMember InitiateLoginUri = new(Metadata.InitiateLoginUri, ClientMemberKind.Uri, LengthLimit.Uri, UriClass.Https);

    /// <summary>The informational URIs, in the order RFC 7591 §2 lists them.</summary>
    public static readonly ClientMember[] InformationUris = [ClientUri, LogoUri, PolicyUri, TosUri];

    /// <summary>URIs that are checked and then dropped.</summary>
    public static readonly ClientMember[] UnkeptUris = [JwksUri, SectorIdentifierUri, InitiateLoginUri];
}
