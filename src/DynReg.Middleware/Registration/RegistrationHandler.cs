using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Unicode;
using DynReg.Middleware.Clients;
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Protocol;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static DynReg.Middleware.Protocol.OAuthConstants;

namespace DynReg.Middleware.Registration;

/// <summary>
/// <c>POST /oidc/register</c>: rate limits → flag → media type → size → parse → validate →
/// host policies → client ceiling → create → 201. Every refusal is RFC 7591 §3.2.2 JSON and stores nothing.
/// </summary>
internal sealed class RegistrationHandler(
    IClientStore clients,
    ITenantSettingsStore tenantSettings,
    RegistrationRateLimiter rateLimiter,
    IEnumerable<IRegistrationPolicy> policies,
    DynRegMetrics metrics,
    IOptions<DynamicRegistrationOptions> options,
    TimeProvider time,
    ILogger<RegistrationHandler> logger)
{
    private const string StrictClientIdPrefix = "tpc_";
    private const int ClientIdLength = 32;

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        MaxDepth = 16,
        // Two values for one member leave it unclear which was meant: refuse rather than guess.
        AllowDuplicateProperties = false,
    };

    private readonly RegistrationOptions _limits = options.Value.Registration;
    private readonly IRegistrationPolicy[] _policies = [.. policies];

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;

        // RFC 7591 §3 lets the server limit open registration; RFC 6585 §4: 429 with Retry-After.
        // First, before any store read, so a flood costs as little as possible.
        var decision = rateLimiter.TryAcquire(context.Connection.RemoteIpAddress);
        if (!decision.IsAllowed)
        {
            Log.RateLimited(logger, decision.Scope, decision.RetryAfterSeconds);
            metrics.RegistrationRejected(Errors.TooManyRequests);
            context.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ProtocolResults.Error(StatusCodes.Status429TooManyRequests, Errors.TooManyRequests, decision.Scope == RateLimitScope.Tenant
                ? $"Too many registrations for this tenant. Retry after {decision.RetryAfterSeconds} seconds."
                : $"Too many registrations from this address. Retry after {decision.RetryAfterSeconds} seconds.");
        }

        var tenant = await tenantSettings.GetAsync(cancellationToken);

        // SPEC §4 / Auth0: open registration exists only while the tenant flag is on.
        if (!tenant.Flags.EnableDynamicClientRegistration)
        {
            Log.RegistrationDisabled(logger);
            metrics.RegistrationRejected(Errors.AccessDenied);
            return ProtocolResults.Error(StatusCodes.Status403Forbidden, Errors.AccessDenied,
                "Dynamic client registration is disabled for this tenant.");
        }

        // RFC 7591 §3: the body is application/json.
        if (!IsJson(context.Request.ContentType))
        {
            return Reject(StatusCodes.Status400BadRequest, Errors.InvalidClientMetadata, "The request body must be application/json.");
        }

        var limit = _limits.MaxRequestBodyBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            // A declared length over the limit is refused before a byte is read.
            if (await LimitedBody.ReadAsync(context.Request, buffer.AsMemory(0, limit + 1), cancellationToken) is not { } length)
            {
                Log.BodyTooLarge(logger, limit);
                metrics.RegistrationRejected(Errors.InvalidClientMetadata);
                return ProtocolResults.Error(StatusCodes.Status413PayloadTooLarge, Errors.InvalidClientMetadata,
                    $"The request body must not exceed {limit} bytes.");
            }

            var outcome = await RegisterAsync(buffer.AsMemory(0, length), tenant, context, cancellationToken);
            return outcome.Response is { } response
                ? ProtocolResults.Json(response, DynRegJsonContext.Default.RegistrationResponse, StatusCodes.Status201Created)
                : Reject(outcome.StatusCode, outcome.Error!, outcome.ErrorDescription);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The hot path past the limits: parse, validate, policies, create. Used by the endpoint and the benchmarks.</summary>
    public async Task<RegistrationOutcome> RegisterAsync(ReadOnlyMemory<byte> body, TenantSettings tenant, HttpContext context, CancellationToken cancellationToken)
    {
        // RFC 8259 §8.1: JSON between systems is UTF-8. The parser checks only the bytes it decodes,
        // so invalid bytes in a member nobody reads would otherwise slip through.
        if (!Utf8.IsValid(body.Span))
        {
            return RegistrationOutcome.Failed(Errors.InvalidClientMetadata, "The request body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException)
        {
            // Duende's habit: malformed JSON is the client's metadata problem, never a 500.
            return RegistrationOutcome.Failed(Errors.InvalidClientMetadata, "The request body is not valid JSON.");
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check unescapes member names and throws this on an escaped lone
            // surrogate ("\ud800"), which is not a string (RFC 8259 §8.2): bad input, never a 500.
            return RegistrationOutcome.Failed(Errors.InvalidClientMetadata, "The request body has a member name that is not valid Unicode.");
        }

        ValidatedClientMetadata metadata;
        using (document)
        {
            var validation = ClientMetadataValidator.Validate(document.RootElement, new ClientRuleContext(tenant.DynamicClientRegistrationSecurityMode, _limits));
            if (!validation.IsValid)
            {
                return RegistrationOutcome.Failed(validation.Error!, validation.ErrorDescription);
            }

            metadata = validation.Metadata!;
        }

        // The host's policies, in the order added; the first refusal wins (SPEC §2: registration policies).
        var disabled = false;
        var scope = metadata.Scope;
        if (_policies.Length > 0)
        {
            var policyContext = new RegistrationPolicyContext(context, metadata, tenant);
            foreach (var policy in _policies)
            {
                var decision = await policy.EvaluateAsync(policyContext, cancellationToken);
                if (!decision.IsAllowed)
                {
                    Log.PolicyRefused(logger, policy.GetType().Name, decision.Error!);
                    return RegistrationOutcome.Failed(decision.Error!, decision.ErrorDescription,
                        decision.Error == Errors.AccessDenied ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
                }

                disabled |= decision.CreateDisabled;
                scope ??= decision.DefaultScope;
            }
        }

        // The tenant's ceiling (Auth0 has per-tenant application limits too): read from the store's
        // count, so every instance sharing a store sees the same number.
        var ceiling = _limits.Limits.MaxDynamicClients;
        if (ceiling > 0 && await clients.CountDynamicClientsAsync(cancellationToken) >= ceiling)
        {
            Log.ClientCeilingReached(logger, ceiling);
            return RegistrationOutcome.Failed(Errors.AccessDenied,
                "This tenant holds the most dynamically registered clients it allows. Ask the tenant owner to remove unused ones.",
                StatusCodes.Status403Forbidden);
        }

        var mode = tenant.DynamicClientRegistrationSecurityMode;
        var secret = metadata.TokenEndpointAuthMethod == ClientAuthenticationMethods.None ? null : ClientSecrets.Generate();
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());

        while (true)
        {
            var client = new Client
            {
                ClientId = NewClientId(mode),
                ClientSecretHash = secret is null ? null : ClientSecrets.Hash(secret),
                IsDisabled = disabled,
                IsFirstParty = false,
                IsDynamicallyRegistered = true,
                RegistrationSecurityMode = mode,
                CreatedAt = issuedAt,
            }.WithMetadata(metadata with { Scope = scope });

            // Durable in the store before the 201 leaves (SPEC §4).
            var created = await clients.CreateAsync(client, cancellationToken);
            if (created.Status == StoreWriteStatus.DuplicateId)
            {
                Log.ClientIdCollision(logger);
                continue;
            }

            Log.ClientRegistered(logger, client.ClientId, client.TokenEndpointAuthMethod, mode);
            metrics.Registered(mode);
            return RegistrationOutcome.Created(RegistrationResponse.From(client, secret));
        }
    }

    private IResult Reject(int statusCode, string error, string? description)
    {
        Log.RegistrationRejected(logger, error, description);
        metrics.RegistrationRejected(error);
        return ProtocolResults.Error(statusCode, error, description);
    }

    // Strict-mode clients are recognisable by their id, as on Auth0.
    private static string NewClientId(DynamicClientRegistrationSecurityMode mode)
    {
        var id = SecureRandom.Alphanumeric(ClientIdLength);
        return mode == DynamicClientRegistrationSecurityMode.Strict ? StrictClientIdPrefix + id : id;
    }

    private static bool IsJson(string? contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
            && (mediaType.CharSet is null || string.Equals(mediaType.CharSet.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase));
}

/// <summary>The registration's result: a 201 body, or an RFC 7591 error and its status.</summary>
internal readonly record struct RegistrationOutcome(RegistrationResponse? Response, string? Error, string? ErrorDescription, int StatusCode)
{
    public static RegistrationOutcome Created(RegistrationResponse response) => new(response, null, null, StatusCodes.Status201Created);

    public static RegistrationOutcome Failed(string error, string? description, int statusCode = StatusCodes.Status400BadRequest)
        => new(null, error, description, statusCode);
}
