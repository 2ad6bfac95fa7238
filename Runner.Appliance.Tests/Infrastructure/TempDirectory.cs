namespace Runner.Appliance.Tests.Infrastructure;

/// <summary>A private directory for one test host's data, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "runner-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a log file may still be closing; the OS temp cleaner takes it */ }
    }
}
