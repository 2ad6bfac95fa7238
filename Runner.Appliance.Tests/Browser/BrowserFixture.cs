using Microsoft.Playwright;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

/// <summary>
/// One headless Debian Chromium for all browser tests (Playwright never downloads a browser here), in
/// a network namespace of its own (<see cref="BrowserNetwork"/>). The background-networking flags stop
/// Chromium's own calls home, so any external request a test sees comes from the appliance's pages.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly TempDirectory _launcher = new();
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public BrowserNetwork Network { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Browser tests use Linux network namespaces.");
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh, which installs Debian's chromium.");
        Network = BrowserNetwork.Start();
        // Playwright starts one executable with its own arguments: this one enters the namespace first.
        var launcher = Path.Combine(_launcher.Path, "chromium");
        await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec nsenter --net={Network.NamespacePath} -- {ChromiumPath} \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = launcher,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--disable-default-apps", "--disable-domain-reliability",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        Network?.Dispose();
        _launcher.Dispose();
    }
}

/// <summary>
/// Every test that drives Chromium is in this collection and gets its browser from <see cref="BrowserFixture"/>.
/// The rule that keeps browser tests deterministic: never start a browser in the host's network namespace.
/// Chromium aborts page loads with net::ERR_NETWORK_CHANGED when an address or link changes in its
/// namespace, and other tests add and remove bridges, veths and addresses in the host's at any time
/// (Peers/SshTargets, Peers/PrivateNetwork); the fixture's Chromium lives in a namespace where nothing
/// changes, and reaches each appliance under test through <see cref="BrowserNetwork.Expose"/>
/// (<see cref="BrowserSession"/> does it). So browser tests and host-network tests may run side by side.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
