using System.Security.Cryptography;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// A key for development: generated once, written as a PKCS#8 PEM file readable only by its
/// owner, and read back on every later start so tokens survive restarts.
/// </summary>
internal static class DevelopmentSigningKey
{
    public static RSA LoadOrCreate(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            TryCreate(fullPath);
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(fullPath));
        return rsa;
    }

    private static void TryCreate(string fullPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        var temporary = fullPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, fileOptions))
        {
            writer.Write(pem);
        }

        try
        {
            // Two processes starting at once: the first rename wins and both read the same key.
            File.Move(temporary, fullPath, overwrite: false);
        }
        catch (IOException) when (File.Exists(fullPath))
        {
            File.Delete(temporary);
        }
    }
}
