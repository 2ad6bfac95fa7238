namespace Runner.Appliance.Tests.Infrastructure;

/// <summary>A private directory for one test host's data, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string? parent = null)
    {
        Path = System.IO.Path.Combine(parent ?? System.IO.Path.GetTempPath(), "runner-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>A directory on tmpfs (/dev/shm), as the engine's secrets directory must be.</summary>
    public static TempDirectory InMemory() => new("/dev/shm");

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a log file may still be closing; the OS temp cleaner takes it */ }
    }
}
