using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Runner.Appliance.Engine;

/// <summary>
/// A role run's two directories. On disk, data/runs/{run}/{nn}-{role}-{attempt}/: the inventory and
/// the configuration as vars (neither holds a secret; both 0600) and ssh's known_hosts. In memory, in
/// the <see cref="SecretsDirectory"/>: secrets.json, the deployment user's key, Ansible's home, local
/// temp, localhost's remote temp and ssh control sockets, deleted when the role ends (and at start-up
/// if the appliance died first).
/// </summary>
public sealed class Workspace
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const string SecretsFile = "secrets.json";
    private const string KeyFile = "id_deploy";

    private Workspace(string root, string secretsRoot) => (Root, SecretsRoot) = (root, secretsRoot);

    public string Root { get; }

    /// <summary>The role run's directory in the secrets directory.</summary>
    public string SecretsRoot { get; }

    public string InventoryPath => Path.Combine(Root, "inventory.json");

    public string VarsPath => Path.Combine(Root, "vars.json");

    public string KnownHostsPath => Path.Combine(Root, "known_hosts");

    public string SecretsPath => Path.Combine(SecretsRoot, SecretsFile);

    public string SshKeyPath => Path.Combine(SecretsRoot, KeyFile);

    public string HomePath => Path.Combine(SecretsRoot, "home");

    public string TempPath => Path.Combine(SecretsRoot, "tmp");

    /// <summary>The remote temp of tasks on localhost (playbooks/host_vars/localhost.yml): on this machine too.</summary>
    public string LocalhostTempPath => Path.Combine(SecretsRoot, "localhost-tmp");

    /// <summary>Short, which matters: ssh control sockets are unix sockets, whose paths may not exceed 107 bytes.</summary>
    public string ControlPath => Path.Combine(SecretsRoot, "cp");

    public static Workspace Create(string runsRoot, SecretsDirectory secretsDirectory, int runId, int order, string role, int attempt,
        string inventory, JsonObject vars, JsonObject secrets, JsonObject outputs)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("The deployment engine runs Ansible, which needs Linux.");
        var root = Path.Combine(runsRoot, runId.ToString(CultureInfo.InvariantCulture), $"{order:00}-{role}-{attempt}");
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var workspace = new Workspace(root, secretsDirectory.CreateFor(runId, order, attempt));
        try
        {
            Directory.CreateDirectory(workspace.TempPath);
            Directory.CreateDirectory(workspace.ControlPath);
            WritePrivate(workspace.InventoryPath, inventory);
            WritePrivate(workspace.VarsPath, vars.ToJsonString(Indented));
            // Earlier roles' outputs travel with the secrets (some are: a root token, unseal keys), never in vars.json.
            WritePrivate(workspace.SecretsPath, new JsonObject { ["runner_secrets"] = secrets.DeepClone(), ["runner_outputs"] = outputs.DeepClone() }.ToJsonString());
            return workspace;
        }
        catch
        {
            workspace.DeleteSecrets();
            throw;
        }
    }

    /// <summary>
    /// The deployment user's private key for ssh, 0600. A key protected by a passphrase is written
    /// decrypted (ssh-keygen -p), since Ansible cannot type the passphrase: hence in memory only.
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

    /// <summary>Deletes the role run's directory in the secrets directory, and everything Ansible left in it.</summary>
    public void DeleteSecrets()
    {
        if (Directory.Exists(SecretsRoot))
            Directory.Delete(SecretsRoot, recursive: true);
    }

    /// <summary>
    /// Deletes what versions before the secrets directory left in data/runs when they died during a
    /// role: secrets.json, the decrypted key, and Ansible's local temp. Returns how many files went.
    /// </summary>
    public static int RemoveLegacySecrets(string runsRoot, ILogger logger)
    {
        if (!Directory.Exists(runsRoot))
            return 0;
        var removed = 0;
        foreach (var workspace in Directory.EnumerateDirectories(runsRoot).SelectMany(Directory.EnumerateDirectories))
        {
            var temp = Path.Combine(workspace, "tmp");
            try
            {
                foreach (var file in new[] { SecretsFile, KeyFile }.Select(f => Path.Combine(workspace, f)).Where(File.Exists))
                {
                    File.Delete(file);
                    removed++;
                }
                if (Directory.Exists(temp))
                {
                    removed += Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories).Count();
                    Directory.Delete(temp, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Could not remove the secrets an older version left in {Workspace}: {Reason}", workspace, e.Message);
            }
        }
        return removed;
    }

    /// <summary>A new file only its owner can read (0600 from its creation, never wider).</summary>
    private static void WritePrivate(string path, string text)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("The deployment engine runs Ansible, which needs Linux.");
        using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
