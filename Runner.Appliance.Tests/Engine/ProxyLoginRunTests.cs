using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Engine;

/// <summary>A role gets the proxy login (user in the vars, password in runner_secrets only); no run record shows the password.</summary>
public sealed class ProxyLoginRunTests : IAsyncLifetime
{
    private const string ProxyPassword = "Pr0xy-Run-Marker-0c55";
    private readonly EngineHost _engine = new();

    public async Task InitializeAsync()
    {
        await _engine.InitializeAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _engine.Admin.PutAsJsonAsync("/api/v1/security", new
        {
            proxyEnabled = true, httpProxy = "http://127.0.0.1:3128", proxyUsername = "squid", proxyPassword = new { newValue = ProxyPassword },
            deploymentUser = "runner", sshPrivateKey = new { newValue = KeyFactory.SshPrivateKey() }, version = 0,
        })).StatusCode);
    }

    public Task DisposeAsync() => _engine.DisposeAsync();

    [Fact]
    public async Task TheRoleGetsTheProxyLogin_AndTheRunsRecordsNeverHoldThePassword()
    {
        _engine.WriteRoleTasks("testrole", """
            - name: Show the proxy login
              ansible.builtin.debug:
                msg: "proxy user {{ security.proxy_username }}, password of {{ runner_secrets.security.proxy_password | length }} characters: {{ runner_secrets.security.proxy_password }}"
            """);
        var id = await _engine.StartRunAsync("testrole");
        await _engine.WhenIdleAsync();

        var run = await _engine.RunAsync(id);
        var roleRunId = run.GetProperty("roles")[0].GetProperty("id").GetInt32();
        var configuration = await _engine.Admin.GetStringAsync($"/api/v1/runs/{id}/configuration");
        var vars = await _engine.Admin.GetStringAsync($"/api/v1/runs/{id}/roles/{roleRunId}/vars");
        var events = string.Join("\n", (await _engine.EventsAsync(id)).Select(e => e.GetProperty("text").GetString()));
        var workspaceVars = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(_engine.DataDirectory, "runs"), "vars.json", SearchOption.AllDirectories)));

        Assert.Equal("Successful", run.GetProperty("status").GetString());
        Assert.Contains($"proxy user squid, password of {ProxyPassword.Length} characters: ********", events, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyPassword, configuration + vars + events + workspaceVars, StringComparison.Ordinal);
        Assert.Equal("squid", JsonDocument.Parse(configuration).RootElement.GetProperty("security").GetProperty("proxyUsername").GetString());
        var security = JsonDocument.Parse(vars).RootElement.GetProperty("security");
        Assert.Equal(("squid", "http://127.0.0.1:3128"), (security.GetProperty("proxy_username").GetString(), security.GetProperty("http_proxy").GetString()));
        Assert.False(security.TryGetProperty("proxy_password", out _));
        Assert.Contains("\"proxy_username\": \"squid\"", workspaceVars, StringComparison.Ordinal);
    }
}
