using Microsoft.Extensions.Options;

namespace DynReg.Middleware.Redis;

/// <summary>Checked at start-up; each message names the setting to change.</summary>
internal sealed class RedisStoreOptionsValidator : IValidateOptions<RedisStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisStoreOptions options)
    {
        var failures = new List<string>();
        if (options.ConnectionMultiplexerFactory is null && options.ConfigurationOptions is null && string.IsNullOrWhiteSpace(options.Configuration))
        {
            failures.Add("Set RedisStoreOptions.Configuration (for example \"localhost:6379\"), ConfigurationOptions or ConnectionMultiplexerFactory.");
        }

        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            failures.Add("RedisStoreOptions.KeyPrefix must not be empty (default \"dynreg:\"): it keeps this app's keys apart from others in the same Redis.");
        }

        if (options.ClientCacheDuration < TimeSpan.Zero || options.ClientCacheDuration > TimeSpan.FromMinutes(5))
        {
            failures.Add("RedisStoreOptions.ClientCacheDuration must be between 0 (no cache) and 5 minutes.");
        }

        if (options.ClientCacheSize < 1)
        {
            failures.Add("RedisStoreOptions.ClientCacheSize must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
