using System.Diagnostics;
using System.Security.Cryptography;
using DynReg.Middleware.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Tokens;

/// <summary>
/// Holds the <see cref="SigningKeyRing"/> everything signs and validates with, and loads it when the
/// host starts (<see cref="StartingAsync"/>, before any hosted service starts and so before the server
/// accepts requests). Keys the host added win; else an <see cref="ISigningKeySource"/> (a store
/// package's shared key), tried again while its service is unreachable, up to
/// <see cref="SigningKeyOptions.SourceWaitTime"/>; else the development key file. Options set-up does no I/O.
/// </summary>
internal sealed class SigningKeyStartup(
    IOptions<DynamicRegistrationOptions> options,
    IEnumerable<IStoreFailureClassifier> classifiers,
    ILogger<SigningKeyStartup> logger,
    ISigningKeySource? source = null) : IHostedLifecycleService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private SigningKeyRing? _ring;

    /// <summary>
    /// The keys. Before start, only keys that need no store are available (the host's own, the
    /// development key): with a signing-key source, the host must have started.
    /// </summary>
    public SigningKeyRing Ring
    {
        get
        {
            if (_ring is { } ring)
            {
                return ring;
            }

            var keys = options.Value.SigningKeys;
            if (keys.Keys.Count == 0 && source is not null)
            {
                throw new InvalidOperationException(
                    $"The signing key comes from {NameOf(source)} and is loaded when the host starts; start the host before issuing or validating tokens.");
            }

            lock (_gate)
            {
                return _ring ??= FromOptions(keys);
            }
        }
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (_ring is not null)
        {
            return;
        }

        var keys = options.Value.SigningKeys;
        if (keys.Keys.Count > 0 || source is null)
        {
            _ = Ring;
            return;
        }

        var loaded = await LoadFromSourceAsync(source, keys.SourceWaitTime, cancellationToken);
        lock (_gate)
        {
            _ring ??= loaded.Count > 0 ? new SigningKeyRing(loaded) : FromOptions(keys, source);
        }
    }

    private async Task<IReadOnlyList<RSA>> LoadFromSourceAsync(ISigningKeySource keySource, TimeSpan waitTime, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await keySource.LoadAsync(cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsOutage(exception) && elapsed.Elapsed + delay < waitTime)
            {
                Log.SigningKeySourceUnavailable(logger, NameOf(keySource), attempt, exception);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var why = IsOutage(exception)
                    ? $"its store stayed unreachable for {elapsed.Elapsed.TotalSeconds:0.#} s ({attempt} attempt(s); SigningKeyOptions.SourceWaitTime is {waitTime.TotalSeconds:0.#} s)"
                    : "it failed";
                throw new InvalidOperationException(
                    $"The host cannot start: the shared signing key could not be loaded from {NameOf(keySource)}, because {why}: {exception.Message} "
                    + "Make the store reachable, or add a key with AddSigningKey(...) so start-up does not need it.",
                    exception);
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
        }
    }

    private static string NameOf(ISigningKeySource source) => source.GetType().Name.Split('`')[0];

    private bool IsOutage(Exception exception)
        => exception is StoreUnavailableException || classifiers.Any(c => c.IsUnavailable(exception));

    private SigningKeyRing FromOptions(SigningKeyOptions keys, ISigningKeySource? emptySource = null)
    {
        if (keys.Keys.Count > 0)
        {
            return new SigningKeyRing([.. keys.Keys]);
        }

        if (keys.DevelopmentKeyPath is { } path)
        {
            Hosting.Log.DevelopmentSigningKeyInUse(logger);
            return new SigningKeyRing([DevelopmentSigningKey.LoadOrCreate(path)]);
        }

        throw new InvalidOperationException(emptySource is null
            ? "No signing key is configured."
            : $"No signing key is configured, and {NameOf(emptySource)} offered none (is the store's ShareGeneratedSigningKey off?): "
                + "call AddSigningKey(...), AddSigningKeyFromPemFile(...) or AddSigningCertificate(...) on the builder that AddDynamicClientRegistration() returns, "
                + "or AddDevelopmentSigningKey() in development.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
