using System.Diagnostics;

namespace DynReg.Middleware.LockTests;

/// <summary>
/// The Lock builds the tests load: esbuild bundles of the npm package <c>auth0-lock</c> made by
/// <c>lock-bundles/build.sh</c> into a cache outside the repository (LOCK.md §(e) 3). Missing
/// bundles are built on first use; test.sh builds them before the tests run.
/// </summary>
internal static class LockBundles
{
    /// <summary>Every Lock version the tests prove; lock-bundles/build.sh builds the same list by default.</summary>
    public static readonly string[] Versions = ["10.7.3", "10.24.3", "11.35.1", "12.5.1", "14.3.0"];

    private static readonly SemaphoreSlim BuildLock = new(1, 1);

    /// <summary>Where build.sh puts the bundles: $DYNREG_LOCK_BUNDLES, else $XDG_CACHE_HOME/dynreg-lock, else ~/.cache/dynreg-lock.</summary>
    public static string Root
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("DYNREG_LOCK_BUNDLES");
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }

            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(cache))
            {
                cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            }

            return Path.Combine(cache, "dynreg-lock");
        }
    }

    /// <summary>The bundle of one version, built first when the cache lacks it.</summary>
    public static async Task<Bundle> GetAsync(string version)
    {
        var directory = Path.Combine(Root, version);
        var script = Path.Combine(directory, "lock.js");
        var english = Path.Combine(directory, "en.json");
        if (!File.Exists(script) || !File.Exists(english))
        {
            await BuildLock.WaitAsync();
            try
            {
                if (!File.Exists(script) || !File.Exists(english))
                {
                    await BuildAsync(version);
                }
            }
            finally
            {
                BuildLock.Release();
            }
        }

        return new Bundle(version, await File.ReadAllBytesAsync(script), await File.ReadAllTextAsync(english));
    }

    private static async Task BuildAsync(string version)
    {
        var start = new ProcessStartInfo("bash", [BuildScript(), version])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash for lock-bundles/build.sh.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lock-bundles/build.sh {version} took longer than 5 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"lock-bundles/build.sh {version} failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
    }

    // The script lives beside this project's sources; the tests run from bin/<configuration>/<tfm>/.
    private static string BuildScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "lock-bundles", "build.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("lock-bundles/build.sh not found above " + AppContext.BaseDirectory);
    }

    /// <summary>One Lock build: the script and its English dictionary (JSON text).</summary>
    public sealed record Bundle(string Version, byte[] Script, string EnglishDictionary)
    {
        /// <summary>The URL the Lock template loads, as Auth0's CDN serves it; the browser gets the bundle instead.</summary>
        public string CdnUrl => $"https://cdn.auth0.com/js/lock/{Version}/lock.min.js";
    }
}
