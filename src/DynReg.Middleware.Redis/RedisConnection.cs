using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DynReg.Middleware.Redis;

/// <summary>
/// The one connection every Redis store shares, opened on first use (not at start-up) by
/// exactly one caller while the others wait. A failed attempt is not remembered: the next call
/// tries again, so a host that started while Redis was down recovers without a restart. Once
/// connected, StackExchange.Redis reconnects by itself.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly RedisStoreOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IConnectionMultiplexer? _multiplexer;
    private bool _owned;
    private bool _disposed;

    public RedisConnection(IOptions<RedisStoreOptions> options, ILogger<RedisConnection>? logger = null)
    {
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Raised on this instance when the connection comes back after a failure.</summary>
    public event EventHandler? Restored;

    /// <summary>Raised on this instance when the connection fails.</summary>
    public event EventHandler? Failed;

    public async ValueTask<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken = default)
        => (await GetMultiplexerAsync(cancellationToken)).GetDatabase();

    /// <summary>For callers that cannot await (Data Protection's repository, options set-up); connects synchronously the first time.</summary>
    public IDatabase GetDatabase() => GetDatabaseAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask<IConnectionMultiplexer> GetMultiplexerAsync(CancellationToken cancellationToken = default)
    {
        if (_multiplexer is { } connected)
        {
            return connected;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_multiplexer is { } other)
            {
                return other;
            }

            var multiplexer = await ConnectAsync();
            multiplexer.ConnectionFailed += (_, _) => Failed?.Invoke(this, EventArgs.Empty);
            multiplexer.ConnectionRestored += (_, _) => Restored?.Invoke(this, EventArgs.Empty);
            _multiplexer = multiplexer;
            Log.Connected(_logger, _options.KeyPrefix);
            return multiplexer;
        }
        catch (Exception exception) when (RedisFailure.IsOutage(exception))
        {
            Log.ConnectFailed(_logger, exception);
            throw RedisFailure.Unavailable(exception);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        if (_options.ConnectionMultiplexerFactory is { } factory)
        {
            _owned = false;
            return await factory() ?? throw new InvalidOperationException("RedisStoreOptions.ConnectionMultiplexerFactory returned null.");
        }

        var configuration = _options.ConfigurationOptions?.Clone()
            ?? ConfigurationOptions.Parse(_options.Configuration ?? throw new InvalidOperationException(
                "Set RedisStoreOptions.Configuration, ConfigurationOptions or ConnectionMultiplexerFactory."));
        _owned = true;
        return await ConnectionMultiplexer.ConnectAsync(configuration);
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            if (_owned && _multiplexer is { } multiplexer)
            {
                await multiplexer.CloseAsync();
                multiplexer.Dispose();
            }

            _multiplexer = null;
        }
        finally
        {
            _gate.Release();
        }
    }
}
