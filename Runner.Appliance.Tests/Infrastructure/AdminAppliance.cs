namespace Runner.Appliance.Tests.Infrastructure;

/// <summary>
/// A set-up appliance on a private data directory with an administrator's API client: the
/// starting point of most API tests (as a base class, or as a shared class fixture).
/// </summary>
public class AdminAppliance : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public ApplianceHost Host { get; private set; } = default!;

    public HttpClient Admin { get; private set; } = default!;

    public string DataDirectory => _data.Path;

    public virtual async Task InitializeAsync()
    {
        Host = new ApplianceHost(_data.Path);
        Admin = await Host.AdminClientAsync();
    }

    public Task DisposeAsync()
    {
        Host.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }
}
