using Microsoft.Playwright;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

/// <summary>
/// A real appliance on a loopback port, relayed into the browser's network namespace, and a fresh browser
/// context pointed at it. Every request that leaves loopback is blocked and recorded; console errors (CSP
/// violations among them) too.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly IAsyncDisposable _relay;

    private BrowserSession(TempDirectory data, ApplianceHost host, IAsyncDisposable relay, Uri baseAddress, IBrowserContext context, IPage page)
    {
        _data = data;
        _relay = relay;
        Host = host;
        BaseAddress = baseAddress;
        Context = context;
        Page = page;
    }

    /// <summary>The path the appliance is seen under ("" direct, "/runner" behind the test's reverse proxy).</summary>
    public string PathBase => BaseAddress.AbsolutePath.TrimEnd('/');

    /// <summary>An app path ("/account/login") as the browser reaches it.</summary>
    public string Url(string path) => PathBase + path;

    public ApplianceHost Host { get; }

    public Uri BaseAddress { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public List<string> ExternalRequests { get; } = [];

    public List<string> ConsoleErrors { get; } = [];

    /// <param name="front">What the browser talks to instead of the appliance's own address (a reverse proxy in front of it).</param>
    public static async Task<BrowserSession> StartAsync(BrowserFixture browser, IReadOnlyDictionary<string, string?>? settings = null, Func<Uri, Uri>? front = null)
    {
        var data = new TempDirectory();
        var host = new ApplianceHost(data.Path, kestrel: true, settings);
        var address = host.StartKestrel();
        // The browser reaches what is in front (the proxy, or the appliance itself) through the relay into its namespace.
        address = front?.Invoke(address) ?? address;
        var relay = browser.Network.Expose(address);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString(), ViewportSize = new() { Width = 1366, Height = 860 } });
        var page = await context.NewPageAsync();
        var session = new BrowserSession(data, host, relay, address, context, page);
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "data" or "blob" || url.Host is "127.0.0.1" or "localhost")
                await route.ContinueAsync();
            else
            {
                session.ExternalRequests.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                session.ConsoleErrors.Add(message.Text);
        };
        return session;
    }

    public async Task SignInAsync(string username, string password)
    {
        await Page.GotoAsync(Url("/account/login"));
        await Page.FillAsync("#username", username);
        await Page.FillAsync("#password", password);
        await Page.ClickAsync("[data-testid=login-submit]");
    }

    /// <summary>Waits until the Blazor circuit has taken over the page (event handlers attached).</summary>
    public async Task WaitForCircuitAsync() =>
        await Page.WaitForSelectorAsync("[data-interactive=yes]");

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _relay.DisposeAsync();
        await Host.DisposeAsync();
        _data.Dispose();
    }
}
