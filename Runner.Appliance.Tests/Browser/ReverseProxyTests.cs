using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Runner.Appliance.Tests.Engine;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Browser;

/// <summary>
/// The appliance under "/runner/" behind Debian's nginx on loopback, as the original system is served:
/// every page offline through the proxy, the circuit over the proxied websocket, sign-in and a live run page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReverseProxyTests(BrowserFixture browser) : IDisposable
{
    private Nginx? _nginx;

    private static Dictionary<string, string?> Settings(string ansible) => new()
    {
        ["Appliance:PathBase"] = "/runner",
        ["Appliance:KnownProxies:0"] = "127.0.0.1",
        ["Appliance:Engine:AnsibleDirectory"] = ansible,
    };

    [Fact]
    public async Task EveryPage_SignInAndALiveRun_WorkUnderThePathBase_ThroughNginx()
    {
        using var ansible = new TempDirectory();
        EngineHost.CopyDirectory(Repository.PathOf("ansible"), ansible.Path);
        await File.WriteAllTextAsync(Path.Combine(ansible.Path, "roles", "testrole", "defaults", "main.yml"), "testrole_sleep_s: 6\n");
        await using var session = await BrowserSession.StartAsync(browser, Settings(ansible.Path), direct => (_nginx = new Nginx(direct)).BaseAddress);
        var escaped = new List<string>();
        session.Page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Port == _nginx!.Port && !url.AbsolutePath.StartsWith("/runner/", StringComparison.Ordinal))
                escaped.Add(request.Url);
        };
        var api = new HttpClient { BaseAddress = session.BaseAddress };
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("api/v1/setup", new { username = Api.AdminName, password = Api.AdminPassword })).StatusCode);
        var page = session.Page;

        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        Assert.EndsWith("/runner/", page.Url, StringComparison.Ordinal);
        var visited = 0;
        foreach (var path in OfflineAssetsTests.AppPages().Append("/api-reference/"))
        {
            var response = await page.GotoAsync(session.Url(path), new() { WaitUntil = WaitUntilState.NetworkIdle });
            Assert.True(response is { Status: < 400 }, $"{path} answered {response?.Status} through the proxy");
            visited++;
        }

        var token = await api.PostAsJsonAsync("api/v1/token", new { username = Api.AdminName, password = Api.AdminPassword });
        api.WithToken((await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync("api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "GCO" }, version = 0 })).StatusCode);
        var start = await api.PostAsJsonAsync("api/v1/runs", new { roles = new[] { "testrole" }, overrideReason = EngineHost.OverrideReason });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        Assert.Equal($"/runner/api/v1/runs/{id}", start.Headers.Location?.ToString());
        await page.GotoAsync(session.Url($"/runs/{id}"));
        await session.WaitForCircuitAsync();
        // Live through the proxied websocket: the page shows the run running, then its end, without a reload.
        await page.Locator("[data-testid=run-status] [data-status=running]").WaitForAsync();
        await page.Locator("[data-testid=run-log]").GetByText("TASK [testrole : Long task]").WaitForAsync();
        await page.Locator("[data-testid=run-status] [data-status=successful]").WaitForAsync(new() { Timeout = 60_000 });
        await page.Locator("[data-testid=run-log]").GetByText("RECAP").WaitForAsync();
        using var openApi = JsonDocument.Parse(await api.GetStringAsync("openapi/v1.json"));

        Assert.True(visited >= 8, $"{visited} pages");
        Assert.True(escaped.Count == 0, "requests outside /runner/: " + string.Join(", ", escaped));
        Assert.True(session.ExternalRequests.Count == 0, "external requests: " + string.Join(", ", session.ExternalRequests));
        Assert.True(session.ConsoleErrors.Count == 0, "console errors: " + string.Join(" | ", session.ConsoleErrors));
        Assert.True(openApi.RootElement.GetProperty("paths").EnumerateObject().Sum(p => p.Value.EnumerateObject().Count()) >= 90, "the OpenAPI document through the proxy");
    }

    public void Dispose() => _nginx?.Dispose();
}
