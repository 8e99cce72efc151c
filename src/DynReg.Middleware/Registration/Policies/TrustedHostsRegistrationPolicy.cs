using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Registration.Policies;

/// <summary>Settings of the trusted-hosts registration policy (as Keycloak's "Trusted Hosts").</summary>
public sealed class TrustedHostsPolicyOptions
{
    /// <summary>
    /// Trusted hosts: an exact host name (<c>app.example.com</c>), <c>*.example.com</c> for any host
    /// below <c>example.com</c> (not <c>example.com</c> itself), an IP address, or a CIDR range
    /// (<c>203.0.113.0/24</c>). Compared ignoring case.
    /// </summary>
    public IList<string> TrustedHosts { get; set; } = [];

    /// <summary>
    /// The caller's IP address must be trusted: equal to a trusted address, inside a trusted range, or
    /// an address an exact trusted host name resolves to (forward DNS, as Keycloak does; never
    /// reverse DNS, which the caller controls). Default true.
    /// </summary>
    public bool CallerMustMatch { get; set; } = true;

    /// <summary>
    /// Every URI of the registration (redirect URIs, and <c>client_uri</c>, <c>logo_uri</c>,
    /// <c>policy_uri</c>, <c>tos_uri</c> when sent) must have a trusted host. Custom-scheme redirect
    /// URIs have no host and never match. Default true.
    /// </summary>
    public bool UrisMustMatch { get; set; } = true;
}

/// <summary>
/// Registration only from trusted callers and only for URIs on trusted hosts (Keycloak's Trusted
/// Hosts policy): the caller is <c>403 access_denied</c>, a redirect URI <c>400 invalid_redirect_uri</c>,
/// another URI <c>400 invalid_client_metadata</c>.
/// </summary>
internal sealed class TrustedHostsRegistrationPolicy(IOptions<TrustedHostsPolicyOptions> options) : IRegistrationPolicy
{
    private static readonly TimeSpan DnsTimeout = TimeSpan.FromSeconds(2);

    private readonly TrustedHosts _trusted = TrustedHosts.Parse(options.Value.TrustedHosts);
    private readonly TrustedHostsPolicyOptions _options = options.Value;

    public async ValueTask<RegistrationPolicyResult> EvaluateAsync(RegistrationPolicyContext context, CancellationToken cancellationToken)
    {
        if (_options.UrisMustMatch)
        {
            foreach (var redirectUri in context.Metadata.RedirectUris)
            {
                if (!_trusted.MatchesUri(redirectUri))
                {
                    return RegistrationPolicyResult.Reject(Errors.InvalidRedirectUri, $"The redirect URI {Shorten(redirectUri)} is not on a trusted host.");
                }
            }

            foreach (var uri in context.Metadata.AllUris().Skip(context.Metadata.RedirectUris.Count))
            {
                if (!_trusted.MatchesUri(uri))
                {
                    return RegistrationPolicyResult.Reject(Errors.InvalidClientMetadata, $"The URI {Shorten(uri)} is not on a trusted host.");
                }
            }
        }

        if (_options.CallerMustMatch && !await _trusted.MatchesCallerAsync(context.RemoteIpAddress, cancellationToken))
        {
            return RegistrationPolicyResult.Reject(Errors.AccessDenied, "Registration is not allowed from this host.");
        }

        return RegistrationPolicyResult.Allow;
    }

    private static string Shorten(string value) => Protocol.QuotedValue.Shorten(value);

    /// <summary>The parsed list: names, wildcard suffixes, addresses and ranges.</summary>
    internal sealed class TrustedHosts
    {
        private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _suffixes = [];
        private readonly List<IPNetwork> _networks = [];

        public static TrustedHosts Parse(IEnumerable<string> entries)
        {
            var hosts = new TrustedHosts();
            foreach (var raw in entries)
            {
                var entry = raw.Trim();
                if (entry.StartsWith("*.", StringComparison.Ordinal) && entry.Length > 2)
                {
                    hosts._suffixes.Add(entry[1..]);
                }
                else if (IPAddress.TryParse(entry.Trim('[', ']'), out var address))
                {
                    hosts._networks.Add(new IPNetwork(Normalise(address), address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6 ? 32 : 128));
                }
                else if (IPNetwork.TryParse(entry, out var network))
                {
                    hosts._networks.Add(network);
                }
                else if (entry.Length > 0)
                {
                    hosts._names.Add(entry.TrimEnd('.'));
                }
            }

            return hosts;
        }

        /// <summary>A URI whose host is a trusted name, below a trusted suffix, or a trusted address.</summary>
        public bool MatchesUri(string value)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.HostNameType is UriHostNameType.Unknown or UriHostNameType.Basic && uri.Host.Length == 0)
            {
                return false;
            }

            var host = uri.IdnHost.TrimEnd('.');
            if (host.Length == 0)
            {
                return false;
            }

            if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
            {
                return InNetworks(address);
            }

            return _names.Contains(host) || _suffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>The caller's address is trusted, or an exact trusted name resolves to it.</summary>
        public async Task<bool> MatchesCallerAsync(IPAddress? caller, CancellationToken cancellationToken)
        {
            if (caller is null)
            {
                return false;
            }

            if (InNetworks(caller))
            {
                return true;
            }

            var normalised = Normalise(caller);
            foreach (var name in _names)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(DnsTimeout);
                try
                {
                    var addresses = await Dns.GetHostAddressesAsync(name, timeout.Token);
                    if (addresses.Any(a => Normalise(a).Equals(normalised)))
                    {
                        return true;
                    }
                }
                catch (Exception exception) when (exception is SocketException or OperationCanceledException or ArgumentException && !cancellationToken.IsCancellationRequested)
                {
                    // A name that does not resolve (in time) trusts nobody.
                }
            }

            return false;
        }

        private bool InNetworks(IPAddress address)
        {
            var normalised = Normalise(address);
            return _networks.Any(n => n.BaseAddress.AddressFamily == normalised.AddressFamily && n.Contains(normalised));
        }

        private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
