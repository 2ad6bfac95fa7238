using System.Text.Json;
using System.Text.Json.Nodes;

namespace Runner.Appliance.Engine;

/// <summary>
/// A role run's private directory under data/runs: the inventory, the configuration as vars, the
/// secrets in a 0600 file deleted when the role ends, and Ansible's temp and SSH control dirs.
/// </summary>
public sealed class Workspace
{
    private Workspace(string root) => Root = root;

    public string Root { get; }

    public string InventoryPath => Path.Combine(Root, "inventory.json");

    public string VarsPath => Path.Combine(Root, "vars.json");

    public string SecretsPath => Path.Combine(Root, "secrets.json");

    public string TempPath => Path.Combine(Root, "tmp");

    public string ControlPath => Path.Combine(Root, "cp");

    public static Workspace Create(string runsRoot, int runId, int order, string role, int attempt, string inventory, JsonObject vars, JsonObject secrets)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("The deployment engine runs Ansible, which needs Linux.");
        var root = Path.Combine(runsRoot, runId.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{order:00}-{role}-{attempt}");
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var workspace = new Workspace(root);
        Directory.CreateDirectory(workspace.TempPath);
        Directory.CreateDirectory(workspace.ControlPath);
        File.WriteAllText(workspace.InventoryPath, inventory);
        File.WriteAllText(workspace.VarsPath, vars.ToJsonString(Indented));
        WritePrivate(workspace.SecretsPath, new JsonObject { ["runner_secrets"] = secrets.DeepClone() }.ToJsonString());
        return workspace;
    }

    public string SshKeyPath => Path.Combine(Root, "id_deploy");

    /// <summary>
    /// The deployment user's private key for ssh, 0600, deleted with the secrets. A key protected by
    /// a passphrase is written decrypted (ssh-keygen -p), since Ansible cannot type the passphrase.
    /// </summary>
    public async Task<string> WriteSshKeyAsync(string key, string? passphrase, CancellationToken ct = default)
    {
        WritePrivate(SshKeyPath, key.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n");
        if (!string.IsNullOrEmpty(passphrase))
        {
            var start = new System.Diagnostics.ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-q", "-p", "-P", passphrase, "-N", "", "-f", SshKeyPath })
                start.ArgumentList.Add(argument);
            using var process = System.Diagnostics.Process.Start(start)!;
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
                throw new InvalidOperationException("The deployment user's SSH key could not be opened with its passphrase.");
        }
        return SshKeyPath;
    }

    public void DeleteSecrets()
    {
        foreach (var path in new[] { SecretsPath, SshKeyPath })
            if (File.Exists(path))
                File.Delete(path);
    }

    /// <summary>A new file only its owner can read (0600 from its creation, never wider).</summary>
    private static void WritePrivate(string path, string text)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("The deployment engine runs Ansible, which needs Linux.");
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
