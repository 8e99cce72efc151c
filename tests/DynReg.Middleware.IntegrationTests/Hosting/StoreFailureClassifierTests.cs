using System.Net;
using System.Text.Json;
using DynReg.Middleware.Stores;
using DynReg.Middleware.Stores.InMemory;
using DynReg.Middleware.Stores.Models;
using DynReg.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DynReg.Middleware.IntegrationTests.Hosting;

/// <summary>
/// An outage a store package recognises (not only StoreUnavailableException) is a 503 with
/// Retry-After and temporarily_unavailable, never a 500; other exceptions stay errors.
/// </summary>
public sealed class StoreFailureClassifierTests
{
    [Fact]
    public async Task Register_ClassifiedOutageWrappedInAnotherException_Returns503()
    {
        await using var host = await TestHost.StartAsync(
            build: b => b.AddClientStore<FailingClientStore>(),
            services: s => s.AddSingleton<IStoreFailureClassifier, BackendDownClassifier>());

        using var response = await host.RegisterAsync("""{"redirect_uris":["https://app.example.com/cb"]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetString().ShouldBe("temporarily_unavailable");
    }

    [Fact]
    public async Task Register_UnclassifiedException_NotTurnedInto503()
    {
        await using var host = await TestHost.StartAsync(build: b => b.AddClientStore<FailingClientStore>());

        var failure = await Record.ExceptionAsync(async () =>
        {
            using var response = await host.RegisterAsync("""{"redirect_uris":["https://app.example.com/cb"]}""");
            response.StatusCode.ShouldNotBe(HttpStatusCode.ServiceUnavailable);
        });

        // TestHost surfaces an unhandled server exception to the caller; either way it is no 503.
        (failure is null or InvalidOperationException).ShouldBeTrue(failure?.ToString());
    }

    private sealed class BackendDownException() : Exception("backend down");

    private sealed class BackendDownClassifier : IStoreFailureClassifier
    {
        public bool IsUnavailable(Exception exception) => exception.InnerException is BackendDownException;
    }

    private sealed class FailingClientStore : IClientStore
    {
        private readonly InMemoryClientStore _inner = new();

        // Host-declared clients are seeded at start-up; registrations meet the outage.
        public Task<StoreWriteResult<Client>> CreateAsync(Client client, CancellationToken cancellationToken)
            => client.IsDynamicallyRegistered
                ? throw new InvalidOperationException("wrapped", new BackendDownException())
                : _inner.CreateAsync(client, cancellationToken);

        public Task<Client?> FindByIdAsync(string clientId, CancellationToken cancellationToken) => _inner.FindByIdAsync(clientId, cancellationToken);

        public Task<StorePage<Client>> ListAsync(int page, int perPage, CancellationToken cancellationToken) => _inner.ListAsync(page, perPage, cancellationToken);

        public Task<StoreWriteResult<Client>> UpdateAsync(string clientId, Func<Client, Client> update, CancellationToken cancellationToken)
            => _inner.UpdateAsync(clientId, update, cancellationToken);

        public Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken) => _inner.DeleteAsync(clientId, cancellationToken);
    }
}
