using System.Text.RegularExpressions;

namespace DynReg.Middleware.PackageTests;

/// <summary>The DynReg.Middleware package that ./test.sh packed into artifacts/packages.</summary>
internal static partial class PackedPackage
{
    public const string Id = "DynReg.Middleware";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string PackagesDirectory => Path.Combine(RepositoryRoot, "artifacts", "packages");

    public static string PackedHostDirectory => Path.Combine(RepositoryRoot, "tests", "DynReg.Middleware.PackageTests", "PackedHost");

    /// <summary>The newest DynReg.Middleware .nupkg and its version; fails the test when there is none.</summary>
    public static (string Path, string Version) Find()
    {
        var packages = Directory.Exists(PackagesDirectory)
            ? Directory.GetFiles(PackagesDirectory, Id + ".*.nupkg")
                .Select(path => (Path: path, Match: FileName().Match(System.IO.Path.GetFileName(path))))
                .Where(p => p.Match.Success) // DynReg.Middleware.Redis.* is another package
                .OrderByDescending(p => File.GetLastWriteTimeUtc(p.Path))
                .ToList()
            : [];
        packages.ShouldNotBeEmpty(
            $"No {Id} package in artifacts/packages. ./test.sh packs it; by hand: dotnet pack src/DynReg.Middleware -c Release -o artifacts/packages");
        return (packages[0].Path, packages[0].Match.Groups["version"].Value);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DynReg.Middleware.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (DynReg.Middleware.sln) was not found above the test output.");
    }

    // DynReg.Middleware.<version>.nupkg, the version starting with a digit (SemVer 2).
    [GeneratedRegex(@"^DynReg\.Middleware\.(?<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex FileName();
}
