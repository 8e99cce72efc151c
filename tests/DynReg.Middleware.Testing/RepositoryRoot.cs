namespace DynReg.Middleware.Testing;

public static class RepositoryRoot
{
    /// <summary>The nearest directory above the test output holding DynReg.Middleware.sln, if any.</summary>
    public static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DynReg.Middleware.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>The repository root, or a clear failure when the tests run outside the repository.</summary>
    public static string Get()
        => Find() ?? throw new InvalidOperationException("The repository root (DynReg.Middleware.sln) was not found above the test output.");
}
