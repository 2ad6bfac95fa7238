namespace Runner.Appliance.Hosting;

/// <summary>
/// The one place that knows where the appliance keeps its state. Everything persistent lives
/// below <see cref="Root"/> so that a backup or a wipe is one directory.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(string root)
    {
        Root = Path.GetFullPath(root);
        Create(Root);
        Create(KeysPath);
        Create(LogsPath);
        Create(RunsPath);
        Create(ArtifactsPath);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "appliance.db");

    /// <summary>Data Protection key ring: readable by the service account only.</summary>
    public string KeysPath => Path.Combine(Root, "keys");

    public string LogsPath => Path.Combine(Root, "logs");

    /// <summary>One private workspace per run (inventory, vars, logs).</summary>
    public string RunsPath => Path.Combine(Root, "runs");

    /// <summary>The offline artifact store: <c>store/</c> (served to the VMs), <c>staging/</c> (imports under way), <c>trash/</c>.</summary>
    public string ArtifactsPath => Path.Combine(Root, "artifacts");

    public string ConnectionString => $"Data Source={DatabasePath};Foreign Keys=True;Pooling=True";

    private static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
