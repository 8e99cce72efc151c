using System.Security.Claims;

namespace DynReg.Middleware.Management;

/// <summary>
/// Who made a change, for the audit line: the Management API's token <c>sub</c>, or the
/// dashboard user's name. <see cref="Channel"/> says which surface the change came through.
/// </summary>
internal readonly record struct ManagementActor(string? Name, string Channel)
{
    public const string ApiChannel = "management-api";
    public const string DashboardChannel = "dashboard";

    /// <summary>The caller of <c>/api/v2</c>: its token's <c>sub</c> (a machine-to-machine client is <c>{client_id}@clients</c>).</summary>
    public static ManagementActor FromToken(ClaimsPrincipal user) => new(user.FindFirst("sub")?.Value, ApiChannel);

    /// <summary>The signed-in dashboard user, as the host's authentication named them.</summary>
    public static ManagementActor FromDashboard(ClaimsPrincipal user) => new(user.Identity?.Name, DashboardChannel);
}

/// <summary>How a change asked of a management service ended. Zero is no status, so a default outcome never reads as success.</summary>
internal enum ManagementStatus
{
    Succeeded = 1,

    /// <summary>The input broke a rule; <see cref="ManagementOutcome{T}.Message"/> says which. Nothing changed.</summary>
    Invalid,
    NotFound,

    /// <summary>A unique name is taken.</summary>
    Conflict,

    /// <summary>The operation does not apply to this record (rotating a public client's secret).</summary>
    NotSupported,
}

/// <summary>A management service's answer: the stored record, or why nothing changed.</summary>
internal readonly record struct ManagementOutcome<T>(ManagementStatus Status, T? Value, string? Message)
{
    public bool Succeeded => Status == ManagementStatus.Succeeded;

    public static ManagementOutcome<T> Success(T value) => new(ManagementStatus.Succeeded, value, null);

    public static ManagementOutcome<T> Invalid(string message) => new(ManagementStatus.Invalid, default, message);

    public static ManagementOutcome<T> Failure(ManagementStatus status, string? message = null) => new(status, default, message);
}
