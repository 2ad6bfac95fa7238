using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Runner.Appliance.Tests.Infrastructure;

/// <summary>
/// The real appliance (Program, middleware, SQLite store, Data Protection keys) in-process, on a
/// private data directory. With <c>kestrel: true</c> it listens on a loopback port for a browser, or on
/// <c>listen</c> when given (the bridge address test machines reach).
/// Its engine keeps role-run secrets in a private directory on tmpfs unless the settings name one:
/// start-up recovery empties that directory, which must never be another host's.
/// </summary>
public sealed class ApplianceHost : WebApplicationFactory<Program>
{
    private const string SecretsSetting = "Appliance:Engine:SecretsDirectory";
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly TempDirectory? _secrets;

    public ApplianceHost(string dataDirectory, bool kestrel = false, IReadOnlyDictionary<string, string?>? settings = null, System.Net.IPEndPoint? listen = null)
    {
        DataDirectory = dataDirectory;
        _settings = settings ?? new Dictionary<string, string?>();
        if (!_settings.ContainsKey(SecretsSetting))
        {
            _secrets = TempDirectory.InMemory();
            _settings = new Dictionary<string, string?>(_settings) { [SecretsSetting] = _secrets.Path };
        }
        if (listen is not null)
            UseKestrel(options => options.Listen(listen));
        else if (kestrel)
            UseKestrel(0);
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "appliance.db");

    /// <summary>The address Kestrel listens on (kestrel hosts only).</summary>
    public Uri StartKestrel()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Appliance:DataDirectory", DataDirectory);
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _secrets?.Dispose();
    }
}
