using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.Engine;

/// <summary>The appliance as its own process, killed with SIGKILL during a run, then started again.</summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const string SshPassphrase = "ssh-Passphrase-Marker-51c3";
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _ansible = new();
    private readonly TempDirectory _secrets = TempDirectory.InMemory();
    private Process? _appliance;
    private int? _group;

    [Fact]
    public async Task AKilledAppliance_TakesItsAnsibleAlong_LeavesNoSecretOnDisk_AndAnInterruptedRunThatResumes()
    {
        EngineHost.CopyDirectory(Repository.PathOf("ansible"), _ansible.Path);
        var defaults = Path.Combine(_ansible.Path, "roles", "testrole", "defaults", "main.yml");
        await File.WriteAllTextAsync(defaults, "testrole_sleep_s: 60\n");
        var client = await StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await Api.SetupAsync(client)).StatusCode);
        client.WithToken(await Api.TokenAsync(client));
        List<string> secrets = [.. await ConfigureAsync(client)];
        var start = await client.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" }, overrideReason = EngineHost.OverrideReason });
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await WaitForAsync(client, id, "started: [localhost] testrole : Long task");
        var before = await EventIdsAsync(client, id);

        var roleSecrets = Path.Combine(_secrets.Path, $"run-{id}-01-1");
        var secretsFile = await File.ReadAllTextAsync(Path.Combine(roleSecrets, "secrets.json"));
        Assert.All(secrets, s => Assert.Contains(JsonSerializer.Serialize(s)[1..^1], secretsFile, StringComparison.Ordinal));
        var decryptedKey = await File.ReadAllTextAsync(Path.Combine(roleSecrets, "id_deploy"));
        Assert.DoesNotContain(decryptedKey.Trim(), secrets.Select(s => s.Trim()));
        secrets.Add(decryptedKey);
        var group = Assert.Single(Processes.PidsMentioning(_data.Path).Select(Processes.GroupOf).Distinct())!.Value;
        _group = group;

        _appliance!.Kill(entireProcessTree: false); // SIGKILL: no finally, no shutdown, only what the kernel does
        await _appliance.WaitForExitAsync();
        var died = Stopwatch.StartNew();
        var gone = await Processes.WaitUntilAsync(() => Processes.InGroup(group).Count == 0 && Processes.Mentioning(_data.Path).Count == 0, TimeSpan.FromSeconds(10));
        output.WriteLine($"ansible's process group {group} was gone {died.Elapsed.TotalMilliseconds:0} ms after the appliance died");
        Assert.True(gone, $"still running 10 s after the appliance died: {string.Join(" | ", Processes.InGroup(group).Select(Processes.CommandLine))}");
        Assert.Empty(SecretScan.FilesContaining(_data.Path, secrets));

        client = await StartAsync();
        client.WithToken(await Api.TokenAsync(client));
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{id}");
        var after = await EventIdsAsync(client, id);

        Assert.Equal("Interrupted", run.GetProperty("status").GetString());
        var role = run.GetProperty("roles")[0];
        Assert.Equal(("Failed", "interrupted: the appliance stopped during this role"), (role.GetProperty("status").GetString(), role.GetProperty("message").GetString()));
        Assert.Empty(before.Except(after));
        Assert.False(Directory.Exists(roleSecrets), "start-up recovery left the killed role run's secrets");
        Assert.Empty(SecretScan.FilesContaining(_data.Path, secrets));

        await File.WriteAllTextAsync(defaults, "testrole_sleep_s: 0\n");
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/runs/{id}/resume", new { overrideReason = EngineHost.OverrideReason })).StatusCode);
        run = await Eventually.UntilAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{id}"),
            r => r.GetProperty("status").GetString() is not ("Running" or "Queued"), TimeSpan.FromSeconds(60), $"resumed run {id} to end");
        Assert.Equal("Successful", run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("roles")[0].GetProperty("attempts").GetInt32());
        Assert.Empty(Directory.GetDirectories(_secrets.Path, $"run-{id}-*"));
        Assert.Empty(SecretScan.FilesContaining(_data.Path, secrets));
    }

    /// <summary>A distinct secret in every secret field the run receives; a passphrase-protected key, so that a decrypted one is written.</summary>
    private static async Task<string[]> ConfigureAsync(HttpClient client)
    {
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "GCO" }, version = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/hypervisors", new { kind = "VCenter", alias = "vc", host = "vcenter.example.local",
            username = "administrator@vsphere.local", password = new { newValue = EngineHost.Password }, datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", template = "rhel9" })).StatusCode);
        var sshKey = KeyFactory.SshPrivateKey("ed25519", SshPassphrase);
        var site = KeyFactory.ValidCertificate();
        var security = await client.PutAsJsonAsync("/api/v1/security", new
        {
            tlsMode = "Upload", certificatePem = site.CertificatePem, privateKey = new { newValue = site.KeyPem },
            deploymentUser = "runner", sshPrivateKey = new { newValue = sshKey }, sshPassphrase = new { newValue = SshPassphrase }, version = 0,
        });
        Assert.True(security.StatusCode == HttpStatusCode.NoContent, await security.Content.ReadAsStringAsync());
        return [EngineHost.Password, sshKey, SshPassphrase, site.KeyPem];
    }

    private async Task<HttpClient> StartAsync()
    {
        var port = Peers.PeerProcess.FreePort();
        var binaries = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = binaries, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(binaries, "Runner.Appliance.dll"));
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Appliance__DataDirectory"] = _data.Path;
        start.Environment["Appliance__Engine__AnsibleDirectory"] = _ansible.Path;
        start.Environment["Appliance__Engine__SecretsDirectory"] = _secrets.Path;
        _appliance = Process.Start(start)!;
        _appliance.OutputDataReceived += (_, _) => { };
        _appliance.ErrorDataReceived += (_, _) => { };
        _appliance.BeginOutputReadLine();
        _appliance.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.UntilAsync(async () => await AnswersAsync(client), TimeSpan.FromSeconds(30), $"the appliance to answer /healthz on port {port}");
        return client;
    }

    private static async Task<bool> AnswersAsync(HttpClient client)
    {
        try
        {
            return (await client.GetAsync("/healthz")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }

    private static Task WaitForAsync(HttpClient client, int id, string text) =>
        Eventually.UntilAsync(async () => (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{id}/events"))!
            .Any(e => e.GetProperty("text").GetString()!.Contains(text, StringComparison.Ordinal)), TimeSpan.FromSeconds(60), $"an event of run {id} saying '{text}'");

    private static async Task<List<long>> EventIdsAsync(HttpClient client, int id) =>
        [.. (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{id}/events?limit=5000"))!.Select(e => e.GetProperty("id").GetInt64())];

    public void Dispose()
    {
        if (_appliance is { HasExited: false })
            _appliance.Kill();
        _appliance?.Dispose();
        // A failed test must not leave its ansible running on the machine.
        foreach (var pid in _group is { } group ? Processes.InGroup(group) : [])
            Processes.Kill(pid);
        _data.Dispose();
        _ansible.Dispose();
        _secrets.Dispose();
    }
}
