using System.Net;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Http;

namespace DynReg.Middleware.Registration;

/// <summary>
/// A host's rule for open registration, run on every <c>POST /oidc/register</c> after the metadata
/// was validated and before anything is stored (add one with
/// <c>AddRegistrationPolicy&lt;T&gt;()</c> on the builder; policies run in the order added, and the
/// first refusal wins). A singleton: keep per-request state in the context.
/// </summary>
public interface IRegistrationPolicy
{
    /// <summary>Allow, allow as disabled, or refuse with an RFC 7591 §3.2.2 error.</summary>
    ValueTask<RegistrationPolicyResult> EvaluateAsync(RegistrationPolicyContext context, CancellationToken cancellationToken);
}

/// <summary>What a registration policy sees: the request, the caller's address and the validated metadata.</summary>
public sealed class RegistrationPolicyContext
{
    internal RegistrationPolicyContext(HttpContext httpContext, ValidatedClientMetadata metadata, TenantSettings tenant)
    {
        HttpContext = httpContext;
        Metadata = metadata;
        Tenant = tenant;
    }

    /// <summary>The registration request (headers, user agent, the connection).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The caller's address as the host sees it (apply forwarded headers first behind a proxy); null when unknown.</summary>
    public IPAddress? RemoteIpAddress => HttpContext.Connection.RemoteIpAddress;

    /// <summary>The client metadata after validation, with the defaults applied.</summary>
    public ValidatedClientMetadata Metadata { get; }

    /// <summary>The tenant's settings at the time of the request.</summary>
    public TenantSettings Tenant { get; }
}

/// <summary>A registration policy's answer.</summary>
public readonly record struct RegistrationPolicyResult
{
    private RegistrationPolicyResult(string? error, string? description, bool disabled, string? scope)
    {
        Error = error;
        ErrorDescription = description;
        CreateDisabled = disabled;
        DefaultScope = scope;
    }

    /// <summary>Registration goes on.</summary>
    public static RegistrationPolicyResult Allow { get; } = new(null, null, false, null);

    /// <summary>Registration goes on; the client is stored disabled until the tenant owner enables it.</summary>
    public static RegistrationPolicyResult AllowDisabled { get; } = new(null, null, true, null);

    /// <summary>
    /// Registration goes on; a client that asked for no <c>scope</c> is registered with
    /// <paramref name="scope"/> (RFC 7591 §2 lets the server pick a default), which <c>/authorize</c> then enforces.
    /// </summary>
    public static RegistrationPolicyResult AllowWithDefaultScope(string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        return new(null, null, false, scope);
    }

    /// <summary>
    /// Refuses the registration with an RFC 7591 §3.2.2 error: <c>invalid_redirect_uri</c> or
    /// <c>invalid_client_metadata</c> (400), or <c>access_denied</c> (403) when the caller may not register at all.
    /// </summary>
    public static RegistrationPolicyResult Reject(string error, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return new(error, description, false, null);
    }

    /// <summary>True unless the policy refused.</summary>
    public bool IsAllowed => Error is null;

    /// <summary>The error code of a refusal.</summary>
    public string? Error { get; }

    /// <summary>The description of a refusal, for the developer who registers.</summary>
    public string? ErrorDescription { get; }

    /// <summary>Whether the client is to be stored disabled.</summary>
    public bool CreateDisabled { get; }

    /// <summary>The scope given to a client that asked for none.</summary>
    public string? DefaultScope { get; }
}
