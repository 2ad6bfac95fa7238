using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Engine;

/// <summary>Where a role run's secrets live (the secrets directory, on tmpfs) and how start-up recovery clears them.</summary>
public sealed class SecretsOffDiskTests : IAsyncLifetime
{
    private const string Passphrase = "key-Passphrase-Marker-7e1d";
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Rwx = Rw | UnixFileMode.UserExecute;
    private readonly EngineHost _engine = new();

    public Task InitializeAsync() => _engine.InitializeAsync();

    public Task DisposeAsync() => _engine.DisposeAsync();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ARoleRun_KeepsItsSecretsInItsOwnPrivateDirectoryInMemory_OnlyWhileItRuns()
    {
        var key = KeyFactory.SshPrivateKey("ed25519", Passphrase);
        Assert.Equal(HttpStatusCode.NoContent, (await _engine.Admin.PutAsJsonAsync("/api/v1/security", new
        {
            tlsMode = "InternalCa", deploymentUser = "runner", sshPrivateKey = new { newValue = key }, sshPassphrase = new { newValue = Passphrase }, version = 0,
        })).StatusCode);
        await File.WriteAllTextAsync(Path.Combine(_engine.Ansible.Path, "roles", "testrole", "defaults", "main.yml"), "testrole_sleep_s: 120\n");
        var id = await _engine.StartRunAsync("testrole");
        await _engine.WaitForEventAsync(id, "started: [localhost] testrole : Long task");

        var secrets = Path.Combine(_engine.Secrets.Path, $"run-{id}-01-1");
        var workspace = Path.Combine(_engine.DataDirectory, "runs", $"{id}", "01-testrole-1");
        var roleRuns = Directory.GetDirectories(_engine.Secrets.Path);
        var inMemory = Directory.GetFileSystemEntries(secrets).Select(Path.GetFileName).Order().ToList();
        var onDisk = Directory.GetFileSystemEntries(workspace, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(workspace, e)).Order().ToList();
        var modes = new[] { secrets, Path.Combine(secrets, "secrets.json"), Path.Combine(secrets, "id_deploy"), Path.Combine(workspace, "vars.json"), Path.Combine(workspace, "inventory.json") }
            .Select(File.GetUnixFileMode).ToList();
        var decrypted = await OpensWithoutPassphraseAsync(Path.Combine(secrets, "id_deploy"));
        var ansibleTemp = Directory.GetDirectories(Path.Combine(secrets, "tmp")).Select(Path.GetFileName).ToList();
        Assert.Equal(HttpStatusCode.Accepted, (await _engine.Admin.PostAsync($"/api/v1/runs/{id}/cancel", null)).StatusCode);
        await _engine.WhenIdleAsync();

        Assert.Equal([secrets], roleRuns);
        Assert.Equal(["cp", "home", "id_deploy", "secrets.json", "tmp"], inMemory);
        Assert.Equal(["inventory.json", "vars.json"], onDisk);
        Assert.Equal([Rwx, Rw, Rw, Rw, Rw], modes);
        Assert.True(decrypted, "id_deploy is still encrypted: Ansible could not use it");
        Assert.Contains(ansibleTemp, d => d!.StartsWith("ansible-local-", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(_engine.Secrets.Path));
        Assert.Empty(SecretScan.FilesContaining(_engine.DataDirectory, [key, Passphrase, EngineHost.Password]));
    }

    [Fact]
    public async Task TasksOnLocalhost_StageTheirFilesInTheRoleRunsDirectoryInMemory()
    {
        _engine.AddCheckRole("testrole-tmp");
        _engine.WriteRoleTasks("testrole-tmp", "- name: Where copy and template stage files\n  ansible.builtin.debug:\n    msg: \"remote temp {{ ansible_remote_tmp }}\"\n");
        var id = await _engine.StartRunAsync("testrole-tmp");
        await _engine.WhenIdleAsync();

        var texts = (await _engine.EventsAsync(id)).Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Contains(texts, t => t!.Contains($"remote temp {Path.Combine(_engine.Secrets.Path, $"run-{id}-01-1", "localhost-tmp")}", StringComparison.Ordinal));
    }

    private static async Task<bool> OpensWithoutPassphraseAsync(string keyFile)
    {
        var start = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-y", "-P", "", "-f", keyFile })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode == 0;
    }
}
