using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Tests.Artifacts;
using Runner.Appliance.Tests.Engine;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Preflight;

public sealed class SiteFixture : IAsyncLifetime
{
    public SiteBed Site { get; private set; } = default!;

    public async Task InitializeAsync() => Site = await SiteBed.StartAsync();

    public async Task DisposeAsync() => await Site.DisposeAsync();
}

/// <summary>The whole preflight of a complete site on loopback, and the gate it sets on deployments.</summary>
public sealed class PreflightGateTests(SiteFixture fixture) : IClassFixture<SiteFixture>, IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _ansible = new();
    private ApplianceHost _host = default!;
    private HttpClient _admin = default!;

    public async Task InitializeAsync()
    {
        EngineHost.CopyDirectory(Repository.PathOf("ansible"), _ansible.Path);
        // This site's store is empty: the artifact checks are ArtifactChecksTests' subject.
        ArtifactBed.ForgetRoleNeeds(_ansible.Path);
        _host = new ApplianceHost(_data.Path, settings: new Dictionary<string, string?>(fixture.Site.Settings) { ["Appliance:Engine:AnsibleDirectory"] = _ansible.Path });
        _admin = await _host.AdminClientAsync();
        await fixture.Site.ConfigureAsync(_admin);
    }

    [Fact]
    public async Task ACompleteSite_PassesEveryBlockingCheckInUnderTenSeconds_AndARunMayStart()
    {
        var refused = await _admin.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" } });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.StartsWith("No preflight has run yet", (await Api.ProblemAsync(refused)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var clock = Stopwatch.StartNew();
        var report = await PreflightAsync();
        clock.Stop();

        var checks = report.GetProperty("checks").EnumerateArray().ToList();
        var blocking = checks.Where(c => c.GetProperty("blocks").GetBoolean()).Select(c => $"{c.GetProperty("id")}: {c.GetProperty("message")}").ToList();
        Assert.True(blocking.Count == 0, string.Join("\n", blocking));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the preflight took {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var id in new[] { "configuration.complete", "hypervisors.vc.login", "hypervisors.vc.capacity", "zones.lan_infra.dns", "zones.lan_apps.dns-records",
                     "zones.dmz.ntp", "zones.lan_apps.addresses", "zones.dmz.gateway", "security.certificate.names", "security.ssh.keypair", "smsProviders.sms.auth",
                     "databases.appdb.database", "ldap.corp.tls", "ldap.corp.userFilter", "smtp.relay.tls", "smtp.relay.auth" })
            Assert.Equal("Passed", Status(checks, id));
        Assert.Equal("Skipped", Status(checks, "security.ssh.login"));

        var gate = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/preflight/gate");
        Assert.True(gate.GetProperty("open").GetBoolean(), gate.ToString());
        var start = await _admin.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" } });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var run = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{(await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32()}");
        Assert.StartsWith($"Preflight {report.GetProperty("id").GetInt32()} passed", run.GetProperty("preflight").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("gateOverride").ValueKind);
        await _host.Services.GetRequiredService<Runner.Appliance.Engine.DeploymentEngine>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task AChangeAfterThePreflight_ClosesTheGate_UntilItRunsAgain()
    {
        await PreflightAsync();
        var zone = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/zones"))!.First(z => z.GetProperty("name").GetString() == "DMZ");
        var edited = JsonSerializer.Deserialize<Dictionary<string, object?>>(zone.GetRawText())!;
        edited["description"] = "moved to the new firewall";
        await SiteBed.ExpectAsync(HttpStatusCode.NoContent, _admin.PutAsJsonAsync($"/api/v1/zones/{zone.GetProperty("id").GetInt32()}", edited));

        var gate = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/preflight/gate");
        Assert.False(gate.GetProperty("open").GetBoolean());
        Assert.Contains("The configuration changed since preflight", gate.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False((await _admin.GetFromJsonAsync<JsonElement>("/api/v1/preflight/latest")).GetProperty("current").GetBoolean());

        await PreflightAsync();
        Assert.True((await _admin.GetFromJsonAsync<JsonElement>("/api/v1/preflight/gate")).GetProperty("open").GetBoolean());
    }

    [Fact]
    public async Task AWrongPassword_BlocksTheRun_ThenOnlyAnAdminWithAReasonOverrides_AndTheRunKeepsTheReason()
    {
        var vc = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/hypervisors"))![0];
        var edited = JsonSerializer.Deserialize<Dictionary<string, object?>>(vc.GetRawText())!;
        edited["password"] = new { newValue = "Wrong-Pass-Marker-77" };
        await SiteBed.ExpectAsync(HttpStatusCode.NoContent, _admin.PutAsJsonAsync($"/api/v1/hypervisors/{vc.GetProperty("id").GetInt32()}", edited));

        var checks = (await PreflightAsync()).GetProperty("checks").EnumerateArray().ToList();
        var login = checks.Single(c => c.GetProperty("id").GetString() == "hypervisors.vc.login");
        Assert.Equal("Failed", login.GetProperty("status").GetString());
        Assert.Contains($"login refused for user {Vcsim.User}", login.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("password", login.GetProperty("field").GetString());
        Assert.Equal($"wizard/hypervisors?edit=hypervisors:{vc.GetProperty("id").GetInt32()}&field=password&check=hypervisors.vc.login", login.GetProperty("link").GetString());
        Assert.Equal("Skipped", Status(checks, "hypervisors.vc.datastore"));

        using (var scope = _host.Services.CreateScope())
        {
            var finding = await scope.ServiceProvider.GetRequiredService<Runner.Appliance.Features.Preflight.PreflightQueries>().LatestResultAsync("hypervisors.vc.login");
            Assert.Equal("password", finding?.Field);
        }
        var gate = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/preflight/gate");
        Assert.Contains("1 blocking failure: vc: ", gate.GetProperty("message").GetString(), StringComparison.Ordinal);
        await Api.CreateUserAsync(_admin, "olga", "Operator", "operator-password");
        var operatorClient = _host.CreateClient().WithToken(await Api.TokenAsync(_host.CreateClient(), "olga", "operator-password"));
        const string Reason = "vCenter password rotates tonight; approved by the site lead";

        Assert.Equal(HttpStatusCode.Conflict, (await _admin.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" }, overrideReason = Reason })).StatusCode);
        var tooShort = await _admin.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" }, overrideReason = "because" });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.True((await Api.ProblemAsync(tooShort)).GetProperty("errors").TryGetProperty("overrideReason", out _));
        var start = await _admin.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" }, overrideReason = Reason });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);

        var run = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{(await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32()}");
        Assert.Equal(Reason, run.GetProperty("gateOverride").GetString());
        Assert.Contains("blocking failure", run.GetProperty("preflight").GetString(), StringComparison.Ordinal);
        var audit = await _admin.GetStringAsync("/api/v1/audit");
        Assert.Contains($"preflight gate overridden: {Reason}", audit, StringComparison.Ordinal);
        await _host.Services.GetRequiredService<Runner.Appliance.Engine.DeploymentEngine>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var store = await File.ReadAllBytesAsync(_host.DatabasePath);
        foreach (var secret in new[] { "Wrong-Pass-Marker-77", Vcsim.Password, SiteBed.SmsPassword, Postgres.Password, Slapd.BindPassword, SmtpServer.Password })
            Assert.Equal(-1, System.Text.Encoding.UTF8.GetString(store).IndexOf(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnItemsTest_RunsOnlyItsOwnChecks_AndLeavesTheLatestFullPreflight()
    {
        var full = await PreflightAsync();
        var vcId = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/hypervisors"))![0].GetProperty("id").GetInt32();

        var test = await _admin.PostAsync($"/api/v1/hypervisors/{vcId}/test", null);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var ids = (await test.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.Contains("hypervisors.vc.login", ids);
        Assert.All(ids, id => Assert.True(id.StartsWith("hypervisors.vc.", StringComparison.Ordinal) || id.EndsWith(".placement", StringComparison.Ordinal), id));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PostAsync("/api/v1/hypervisors/999/test", null)).StatusCode);

        var smtpId = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/smtp"))![0].GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.PostAsJsonAsync($"/api/v1/smtp/{smtpId}/test", new { testRecipient = "not-an-address" })).StatusCode);
        var mail = await _admin.PostAsJsonAsync($"/api/v1/smtp/{smtpId}/test", new { testRecipient = "ops@example.org" });
        var send = (await mail.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "smtp.relay.send");
        Assert.Equal("Passed", send.GetProperty("status").GetString());
        Assert.Contains(fixture.Site.Mail.Received, m => m.Contains("ops@example.org", StringComparison.Ordinal));
        Assert.DoesNotContain(full.GetProperty("checks").EnumerateArray(), c => c.GetProperty("id").GetString() == "smtp.relay.send");

        var security = await (await _admin.PostAsync("/api/v1/security/test", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["security.certificate.chain", "security.certificate.key", "security.certificate.validity", "security.certificate.names", "security.ssh.keypair", "security.ssh.login"],
            security.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        var latest = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/preflight/latest");
        Assert.Equal(full.GetProperty("id").GetInt32(), latest.GetProperty("id").GetInt32());
        Assert.Equal("all", latest.GetProperty("scope").GetString());
    }

    private async Task<JsonElement> PreflightAsync()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/preflight", new { });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string? Status(List<JsonElement> checks, string id) =>
        checks.SingleOrDefault(c => c.GetProperty("id").GetString() == id) is { ValueKind: JsonValueKind.Object } check
            ? check.GetProperty("status").GetString()
            : $"missing (checks: {string.Join(", ", checks.Select(c => c.GetProperty("id").GetString()))})";

    public Task DisposeAsync()
    {
        _host.Dispose();
        _data.Dispose();
        _ansible.Dispose();
        return Task.CompletedTask;
    }
}
