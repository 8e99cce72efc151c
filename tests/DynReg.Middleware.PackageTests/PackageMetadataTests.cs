using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace DynReg.Middleware.PackageTests;

/// <summary>What a NuGet user gets from <c>dotnet pack src/DynReg.Middleware</c>: metadata, files, no traces of the machine that packed it.</summary>
public sealed class PackageMetadataTests
{
    [Fact]
    public void Nuspec_PackedPackage_IdVersionDescriptionLicenseAndReadme()
    {
        var (path, version) = PackedPackage.Find();
        using var package = ZipFile.OpenRead(path);

        var nuspec = ReadNuspec(package);
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        metadata.Element(ns + "id")!.Value.ShouldBe(PackedPackage.Id);
        metadata.Element(ns + "version")!.Value.ShouldBe(version);
        metadata.Element(ns + "description")!.Value.ShouldNotBeNullOrWhiteSpace();
        metadata.Element(ns + "authors")!.Value.ShouldNotBeNullOrWhiteSpace();
        var license = metadata.Element(ns + "license")!;
        license.Attribute("type")!.Value.ShouldBe("expression");
        license.Value.ShouldBe("MIT");
        metadata.Element(ns + "readme")!.Value.ShouldBe("README.md");
        metadata.Element(ns + "repository").ShouldBeNull("the package names no repository");
        metadata.Element(ns + "frameworkReferences")!.ToString().ShouldContain("Microsoft.AspNetCore.App");
    }

    // Every project under src/ is a package of the same version: the core and DynReg.Middleware.Redis.
    [Fact]
    public void Pack_EverySourceProject_PackedWithTheSameVersion()
    {
        var (_, version) = PackedPackage.Find();
        var projects = Directory.GetDirectories(Path.Combine(PackedPackage.RepositoryRoot, "src")).Select(Path.GetFileName).ToList();

        projects.ShouldContain("DynReg.Middleware.Redis");
        foreach (var project in projects)
        {
            var package = Path.Combine(PackedPackage.PackagesDirectory, $"{project}.{version}.nupkg");
            File.Exists(package).ShouldBeTrue(package);
            using var zip = ZipFile.OpenRead(package);
            zip.Entries.Select(e => e.FullName).ShouldContain($"lib/net10.0/{project}.dll");
        }
    }

    [Fact]
    public void Files_PackedPackage_LibraryXmlDocsReadmeAndASymbolsPackage()
    {
        var (path, _) = PackedPackage.Find();
        using var package = ZipFile.OpenRead(path);

        var names = package.Entries.Select(e => e.FullName).ToList();
        names.ShouldContain("lib/net10.0/DynReg.Middleware.dll");
        names.ShouldContain("lib/net10.0/DynReg.Middleware.xml");
        names.ShouldContain("README.md");
        using (var readme = new StreamReader(package.GetEntry("README.md")!.Open()))
        {
            readme.ReadToEnd().ShouldStartWith("# DynReg.Middleware");
        }

        var symbols = Path.ChangeExtension(path, ".snupkg");
        File.Exists(symbols).ShouldBeTrue(symbols);
        using var symbolPackage = ZipFile.OpenRead(symbols);
        symbolPackage.Entries.Select(e => e.FullName).ShouldContain("lib/net10.0/DynReg.Middleware.pdb");
    }

    [Fact]
    public void Contents_PackedPackages_NoPathOfThePackingMachine()
    {
        var (path, _) = PackedPackage.Find();
        var root = PackedPackage.RepositoryRoot.TrimEnd(Path.DirectorySeparatorChar);
        var needles = new[] { Encoding.UTF8.GetBytes(root), Encoding.Unicode.GetBytes(root) };

        foreach (var file in new[] { path, Path.ChangeExtension(path, ".snupkg") })
        {
            using var package = ZipFile.OpenRead(file);
            foreach (var entry in package.Entries)
            {
                using var content = new MemoryStream();
                using (var stream = entry.Open())
                {
                    stream.CopyTo(content);
                }

                foreach (var needle in needles)
                {
                    content.ToArray().AsSpan().IndexOf(needle).ShouldBe(-1, $"{Path.GetFileName(file)}/{entry.FullName} contains the path {root}");
                }
            }
        }
    }

    private static XDocument ReadNuspec(ZipArchive package)
    {
        var entry = package.Entries.Single(e => e.FullName == PackedPackage.Id + ".nuspec");
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }
}
