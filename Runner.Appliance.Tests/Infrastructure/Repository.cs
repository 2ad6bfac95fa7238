namespace Runner.Appliance.Tests.Infrastructure;

/// <summary>Files of the repository the tests compare against (docs, ansible/).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Runner.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Runner.sln not found above the test binaries.");
    }
}
