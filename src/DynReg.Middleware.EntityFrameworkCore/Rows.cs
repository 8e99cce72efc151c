namespace DynReg.Middleware.EntityFrameworkCore;

// The tables. Each record is kept whole as JSON (so a member added to a model later needs no
// migration) beside the few columns the stores look it up, order it or count it by.
// Version is the optimistic concurrency token (EF Core: "Handling Concurrency Conflicts"):
// an update writes only while the row still has the version it read.

/// <summary>A client: its id (unique), creation order and the record.</summary>
internal sealed class ClientRow
{
    /// <summary>Creation order; listing pages by it.</summary>
    public long Sequence { get; set; }

    public required string ClientId { get; set; }

    /// <summary>Copied from the record for the dashboard's search.</summary>
    public string? ClientName { get; set; }

    /// <summary>Copied from the record: the registration ceiling counts these on every registration.</summary>
    public bool IsDynamicallyRegistered { get; set; }

    public required string Json { get; set; }

    public Guid Version { get; set; }
}

/// <summary>A connection: its id and name (both unique, the name ignoring case), order and record.</summary>
internal sealed class ConnectionRow
{
    public long Sequence { get; set; }

    public required string Id { get; set; }

    /// <summary>The name upper-cased invariantly: the unique index on it makes names unique ignoring case.</summary>
    public required string NormalizedName { get; set; }

    public required string Json { get; set; }

    public Guid Version { get; set; }
}

/// <summary>The tenant settings: one row, absent until the first change.</summary>
internal sealed class TenantSettingsRow
{
    public const int SingleId = 1;

    public int Id { get; set; }

    public required string Json { get; set; }

    public Guid Version { get; set; }
}

/// <summary>One granted scope: a grant inserts rows, so it is a union by nature.</summary>
internal sealed class ConsentRow
{
    public required string Subject { get; set; }

    public required string ClientId { get; set; }

    public required string Audience { get; set; }

    public required string Scope { get; set; }
}

/// <summary>A code, refresh token, login transaction or ticket, until it expires or is taken.</summary>
internal sealed class ProtocolStateRow
{
    public required string Key { get; set; }

    public required byte[] Value { get; set; }

    /// <summary>Unix time in milliseconds: compares and indexes the same way on every provider.</summary>
    public long ExpiresAt { get; set; }
}

/// <summary>The signing key every instance on the database shares, as PKCS#8 PEM.</summary>
internal sealed class SigningKeyRow
{
    public const string SharedId = "shared";

    public required string Id { get; set; }

    public required string Pem { get; set; }

    public long CreatedAt { get; set; }
}
