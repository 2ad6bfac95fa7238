using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

/// <summary>
/// The appliance runs with no network but the site's own: every page must load with every
/// non-loopback request blocked, request nothing external, and log no console error (a CSP
/// violation shows up there). The page list comes from the app's routes, so new pages are covered.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OfflineAssetsTests(BrowserFixture browser)
{
    public static IEnumerable<string> AppPages() =>
        typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => r.Template)
            .Where(t => !t.Contains('{', StringComparison.Ordinal) && t != "/setup")
            .Distinct()
            .Order();

    [Fact]
    public async Task EveryPage_LoadsOffline_WithLocalFontsAndNoExternalRequest()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        var page = session.Page;
        var visited = new List<string>();

        await VisitAsync(session, "/setup", visited);
        await session.Host.AdminClientAsync();
        await VisitAsync(session, "/account/login", visited);
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        Assert.True(await page.EvaluateAsync<bool>(
            "document.fonts.ready.then(() => Array.from(document.fonts).some(f => f.family.includes('Roboto') && f.status === 'loaded'))"),
            "Roboto was not loaded from the appliance");

        foreach (var path in AppPages().Append("/api-reference/"))
            await VisitAsync(session, path, visited);

        Assert.True(visited.Count >= 8, $"only {visited.Count} pages visited");
        Assert.True(session.ExternalRequests.Count == 0, "external requests: " + string.Join(", ", session.ExternalRequests));
        Assert.True(session.ConsoleErrors.Count == 0, "console errors: " + string.Join(" | ", session.ConsoleErrors));
    }

    private static async Task VisitAsync(BrowserSession session, string path, List<string> visited)
    {
        var response = await session.Page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.NotNull(response);
        Assert.True(response.Status < 500, $"{path} answered {response.Status}");
        visited.Add(path);
    }
}
