// Users of the database connection, from configuration: Sample:Users:N:Email, :Password
// (and optionally :Name). appsettings.Development.json declares one demo user; outside
// Development there is none unless configured.
using DynReg.Middleware.Hosting;
using DynReg.Middleware.Users;

internal static class SampleUsers
{
    public static void AddSampleUsers(this DynamicRegistrationBuilder dynReg, IConfiguration configuration, string connection)
    {
        var users = configuration.GetSection("Sample:Users").GetChildren()
            .Select(user => new InMemoryUser(
                connection,
                user["Email"] is { Length: > 0 } email ? email : throw new InvalidOperationException($"{user.Path}:Email is required."),
                user["Password"] is { Length: > 0 } password ? password : throw new InvalidOperationException($"{user.Path}:Password is required."),
                user["Name"]))
            .ToArray();
        if (users.Length > 0)
        {
            dynReg.AddInMemoryUsers(users);
        }
    }
}
