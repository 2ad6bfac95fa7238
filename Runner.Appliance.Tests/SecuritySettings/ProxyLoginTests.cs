using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Data;
using Runner.Appliance.Engine;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Wizard;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.SecuritySettings;

/// <summary>The proxy login: its own write-only fields, never in a URL, never shown, exported only sealed, never in clear in the store.</summary>
public sealed class ProxyLoginTests : IDisposable
{
    private const string ProxyPassword = "Pr0xy-Marker-e41b";
    private const string Passphrase = "correct horse battery staple";
    private readonly TempDirectory _data = new();

    private static object Settings(string? httpProxy = "http://127.0.0.1:3128", string? httpsProxy = null, string? user = "squid", string? password = ProxyPassword) => new
    {
        proxyEnabled = true, httpProxy, httpsProxy, proxyUsername = user, proxyPassword = password is null ? null : new { newValue = password },
        deploymentUser = "runner", sshPrivateKey = new { newValue = KeyFactory.SshPrivateKey() }, version = 0,
    };

    [Fact]
    public async Task AProxyUrlWithALogin_IsRefusedOnEachUrlField_AndNothingIsStored()
    {
        using var host = new ApplianceHost(_data.Path);
        var admin = await host.AdminClientAsync();

        var response = await admin.PutAsJsonAsync("/api/v1/security",
            Settings($"http://squid:{ProxyPassword}@127.0.0.1:3128", $"http://squid:{ProxyPassword}@127.0.0.1:3129", user: null, password: null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ProxyPassword, body, StringComparison.Ordinal);
        var errors = (await Api.ProblemAsync(response)).GetProperty("errors");
        Assert.Equal(["httpProxy", "httpsProxy"], errors.EnumerateObject().Select(e => e.Name));
        Assert.StartsWith("HTTP proxy URL must not carry a login (user:password@)", errors.GetProperty("httpProxy")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("proxy user name and proxy password fields", errors.GetProperty("httpsProxy")[0].GetString(), StringComparison.Ordinal);
        var stored = await admin.GetFromJsonAsync<JsonElement>("/api/v1/security");
        Assert.Equal((0, JsonValueKind.Null), (stored.GetProperty("version").GetInt32(), stored.GetProperty("httpProxy").ValueKind));
    }

    [Fact]
    public async Task AProxyPasswordWithoutAUserName_IsRefusedOnTheUserName()
    {
        using var host = new ApplianceHost(_data.Path);
        var admin = await host.AdminClientAsync();

        var response = await admin.PutAsJsonAsync("/api/v1/security", Settings(user: ""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Proxy user name is required with a proxy password",
            (await Api.ProblemAsync(response)).GetProperty("errors").GetProperty("proxyUsername")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheProxyPassword_IsWriteOnly_ExportedOnlySealed_AndTravelsToAnotherAppliance()
    {
        using var host = new ApplianceHost(_data.Path);
        var admin = await host.AdminClientAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/security", Settings())).StatusCode);

        var read = await admin.GetStringAsync("/api/v1/security");
        var audit = await admin.GetStringAsync("/api/v1/audit");
        var open = await ExportAsync(admin);
        var sealedFile = await ExportAsync(admin, Passphrase);

        Assert.DoesNotContain(ProxyPassword, read + audit + open + sealedFile, StringComparison.Ordinal);
        var security = JsonDocument.Parse(read).RootElement;
        Assert.Equal(("squid", true), (security.GetProperty("proxyUsername").GetString(), security.GetProperty("proxyPasswordSet").GetBoolean()));
        Assert.Contains("proxyPassword", audit, StringComparison.Ordinal);
        Assert.Equal("squid", JsonDocument.Parse(open).RootElement.GetProperty("security").GetProperty("proxyUsername").GetString());
        Assert.DoesNotContain("proxyPassword", open, StringComparison.Ordinal);

        using var otherData = new TempDirectory();
        using var other = new ApplianceHost(otherData.Path);
        var otherAdmin = await other.AdminClientAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await ImportAsync(otherAdmin, sealedFile, Passphrase)).StatusCode);

        var imported = await otherAdmin.GetFromJsonAsync<JsonElement>("/api/v1/security");
        Assert.Equal(("squid", true), (imported.GetProperty("proxyUsername").GetString(), imported.GetProperty("proxyPasswordSet").GetBoolean()));
        var secrets = SecretsEnvelope.Open(JsonSerializer.Deserialize<AnswerFileDocument>(await ExportAsync(otherAdmin, Passphrase), AnswerFileJson.Options)!.Secrets!, Passphrase)!;
        Assert.Equal(ProxyPassword, secrets["security.proxyPassword"]);
    }

    [Fact]
    public async Task AnAnswerFileWithoutItsSecrets_LeavesTheProxyPasswordToBeTypedOnSite()
    {
        using var host = new ApplianceHost(_data.Path);
        var admin = await host.AdminClientAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/security", Settings())).StatusCode);
        var open = await ExportAsync(admin);
        using var otherData = new TempDirectory();
        using var other = new ApplianceHost(otherData.Path);
        var otherAdmin = await other.AdminClientAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await ImportAsync(otherAdmin, open)).StatusCode);

        var imported = await otherAdmin.GetFromJsonAsync<JsonElement>("/api/v1/security");
        Assert.Equal(("squid", false), (imported.GetProperty("proxyUsername").GetString(), imported.GetProperty("proxyPasswordSet").GetBoolean()));
        await using var scope = other.Services.CreateAsyncScope();
        var review = await scope.ServiceProvider.GetRequiredService<ReviewService>().ReviewAsync();
        Assert.Contains(review.Problems, p => p.Field == "proxyPassword" && p.Message == "Password for proxy user 'squid' is required.");
    }

    [Fact]
    public async Task TheProxyPassword_IsNotInTheSqliteFilesInClear()
    {
        using (var host = new ApplianceHost(_data.Path))
        {
            var admin = await host.AdminClientAsync();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/security", Settings())).StatusCode);
        }
        SqliteConnection.ClearAllPools();

        AssertNotInStore(ProxyPassword);
    }

    [Fact]
    public async Task ALoginThatAnEarlierVersionLeftInTheProxyUrls_MovesToTheProxyFieldsAtStartUp_AndLeavesNoTrace()
    {
        const string legacyPassword = "Legacy@Pass-77d2";
        var legacyUrl = $"http://squid:{Uri.EscapeDataString(legacyPassword)}@127.0.0.1:3128";
        var workspaceVars = Path.Combine(_data.Path, "runs", "1", "01-testrole-1", "vars.json");
        using (var first = new ApplianceHost(_data.Path))
        {
            var admin = await first.AdminClientAsync();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/security", Settings(user: null, password: null))).StatusCode);
            await PlantEarlierRunAsync(first, legacyUrl, legacyPassword);
            Directory.CreateDirectory(Path.GetDirectoryName(workspaceVars)!);
            await File.WriteAllTextAsync(workspaceVars, $$"""{ "security": { "http_proxy": "{{legacyUrl}}" } }""");
        }
        SqliteConnection.ClearAllPools();
        await using (var store = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "appliance.db")}"))
        {
            await store.OpenAsync();
            await using var plant = store.CreateCommand();
            plant.CommandText = "UPDATE SecuritySettings SET HttpProxy = $url, HttpsProxy = $url";
            plant.Parameters.AddWithValue("$url", legacyUrl);
            Assert.Equal(1, await plant.ExecuteNonQueryAsync());
        }
        SqliteConnection.ClearAllPools();

        int version;
        using (var upgraded = new ApplianceHost(_data.Path))
        {
            var admin = upgraded.CreateClient().WithToken(await Api.TokenAsync(upgraded.CreateClient()));
            var security = await admin.GetFromJsonAsync<JsonElement>("/api/v1/security");
            var audit = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/audit");
            var secrets = SecretsEnvelope.Open(JsonSerializer.Deserialize<AnswerFileDocument>(await ExportAsync(admin, Passphrase), AnswerFileJson.Options)!.Secrets!, Passphrase)!;
            var run = await admin.GetStringAsync("/api/v1/runs/1/configuration") + await admin.GetStringAsync("/api/v1/runs/1/events?limit=100");

            Assert.Equal(("http://127.0.0.1:3128", "http://127.0.0.1:3128"), (security.GetProperty("httpProxy").GetString(), security.GetProperty("httpsProxy").GetString()));
            Assert.Equal(("squid", true), (security.GetProperty("proxyUsername").GetString(), security.GetProperty("proxyPasswordSet").GetBoolean()));
            Assert.Equal(legacyPassword, secrets["security.proxyPassword"]);
            var entry = audit!.First();
            Assert.Equal(("appliance upgrade", "proxy login moved out of the proxy URLs into the proxy user and password fields"),
                (entry.GetProperty("actor").GetString(), entry.GetProperty("action").GetString()));
            Assert.Equal(["httpProxy", "httpsProxy", "proxyUsername", "proxyPassword"], entry.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
            Assert.Contains("\"http://127.0.0.1:3128\"", run, StringComparison.Ordinal);
            Assert.DoesNotContain(legacyPassword, run, StringComparison.Ordinal);
            Assert.DoesNotContain("Legacy", run, StringComparison.Ordinal);
            Assert.DoesNotContain("Legacy", await File.ReadAllTextAsync(workspaceVars), StringComparison.Ordinal);
            version = security.GetProperty("version").GetInt32();
        }
        SqliteConnection.ClearAllPools();
        AssertNotInStore("Legacy");

        using var again = new ApplianceHost(_data.Path);
        var client = again.CreateClient().WithToken(await Api.TokenAsync(again.CreateClient()));
        Assert.Equal(version, (await client.GetFromJsonAsync<JsonElement>("/api/v1/security")).GetProperty("version").GetInt32());
    }

    /// <summary>A finished run as an earlier version recorded it: the URL with its login in the snapshot and vars, the password printed by a role.</summary>
    private static async Task PlantEarlierRunAsync(ApplianceHost host, string legacyUrl, string legacyPassword)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<ApplianceDb>>().CreateDbContextAsync();
        var escapedUrl = JsonSerializer.Serialize(legacyUrl)[1..^1];
        var run = new DeploymentRun
        {
            Status = RunStatus.Successful, StartedBy = "admin", CreatedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow,
            ConfigurationSnapshot = $$"""{ "security": { "proxyEnabled": true, "httpProxy": "{{escapedUrl}}" } }""",
        };
        run.Roles.Add(new RoleRun { Order = 1, Role = "testrole", Status = RoleStatus.Successful, Attempts = 1, VarsJson = $$"""{ "security": { "http_proxy": "{{escapedUrl}}" } }""" });
        db.DeploymentRuns.Add(run);
        await db.SaveChangesAsync();
        db.RunEvents.Add(new RunEvent
        {
            RunId = run.Id, RoleRunId = run.Roles[0].Id, Attempt = 1, Seq = 1, At = DateTimeOffset.UtcNow, Type = "runner_on_ok", Status = "ok",
            Text = $"ok: [localhost] proxy password is {legacyPassword}", Json = JsonSerializer.Serialize(new { msg = $"proxy password is {legacyPassword}" }),
        });
        await db.SaveChangesAsync();
    }

    private void AssertNotInStore(string text)
    {
        foreach (var file in Directory.GetFiles(_data.Path, "appliance.db*"))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0, $"{Path.GetFileName(file)} holds '{text}' in UTF-8");
            Assert.False(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0, $"{Path.GetFileName(file)} holds '{text}' in UTF-16");
        }
    }

    private static Task<string> ExportAsync(HttpClient client, string? passphrase = null) => AnswerFile.AnswerFileSite.ExportAsync(client, passphrase);

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string json, string? passphrase = null) => AnswerFile.AnswerFileSite.ImportAsync(client, json, passphrase);

    public void Dispose() => _data.Dispose();
}
