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
        using (var stream = new FileStream(workspace.SecretsPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
            writer.Write(new JsonObject { ["runner_secrets"] = secrets.DeepClone() }.ToJsonString());
        return workspace;
    }

    public void DeleteSecrets()
    {
        if (File.Exists(SecretsPath))
            File.Delete(SecretsPath);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
