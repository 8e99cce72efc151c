namespace DynReg.Middleware.Protocol;

/// <summary>Auth0's connection id shape: <c>con_</c> followed by 16 random characters.</summary>
internal static class ConnectionIds
{
    public const string Prefix = "con_";

    public static string New() => Prefix + SecureRandom.Alphanumeric(16);
}
