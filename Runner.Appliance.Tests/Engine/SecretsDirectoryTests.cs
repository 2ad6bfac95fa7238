using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runner.Appliance.Engine;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Engine;

/// <summary>Which directory holds role-run secrets, and start-up recovery clearing what dead role runs left.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretsDirectoryTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _memory = TempDirectory.InMemory();

    // The test binaries' directory is on disk (a tmpfs /tmp would not be).
    private readonly string _disk = Path.Combine(AppContext.BaseDirectory, $"secrets-on-disk-{Guid.NewGuid():N}");

    [Fact]
    public void TheMemoryCheck_TellsTmpfsFromOtherFilesystems()
    {
        Directory.CreateDirectory(_disk);

        Assert.True(UnixFiles.IsInMemory(_memory.Path));
        Assert.False(UnixFiles.IsInMemory(_disk));
        Assert.False(UnixFiles.IsInMemory("/proc"));
    }

    [Fact]
    public void TheFirstUsableCandidateInMemory_IsChosen_OverEarlierOnesOnDisk_WhichLeaveNoTrace()
    {
        var memory = Path.Combine(_memory.Path, "secrets");

        var (root, problem) = SecretsDirectory.Choose(["/proc/runner-appliance", Path.Combine(_disk, "secrets"), memory]);

        Assert.Equal((memory, null), (root, problem));
        Assert.False(Directory.Exists(Path.Combine(_disk, "secrets")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(memory));
    }

    [Fact]
    public void ADirectoryOnDisk_IsUsedWhenItIsTheOnlyOne_WithAWarningThatNamesIt()
    {
        var logger = new RecordingLogger();

        var secrets = new SecretsDirectory(Options.Create(new EngineOptions { SecretsDirectory = _disk }), logger);

        Assert.Equal(_disk, secrets.Root);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning).Message;
        Assert.StartsWith($"The secrets directory {_disk} is not on a memory filesystem (tmpfs)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADirectoryOfAnotherUser_OrASymbolicLink_IsRefused_AsAPlantInWorldWritableShmWouldBe()
    {
        var foreign = Directory.CreateDirectory(Path.Combine(_memory.Path, "foreign")).FullName;
        using (var chown = Process.Start("chown", ["65534", foreign]))
            await chown.WaitForExitAsync();
        var link = Path.Combine(_memory.Path, "link");
        Directory.CreateSymbolicLink(link, Directory.CreateDirectory(Path.Combine(_memory.Path, "elsewhere")).FullName);

        var (root, problem) = SecretsDirectory.Choose([foreign, link]);

        Assert.Null(root);
        Assert.Contains($"{foreign} belongs to another user (uid 65534)", problem, StringComparison.Ordinal);
        Assert.Contains($"{link} is not a directory (a symbolic link is refused)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAUsableSecretsDirectory_ARunIsRefusedSayingWhy()
    {
        using var host = new ApplianceHost(_data.Path, settings: new Dictionary<string, string?> { ["Appliance:Engine:SecretsDirectory"] = "/proc/runner-appliance" });
        var admin = await host.AdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" }, overrideReason = EngineHost.OverrideReason });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.StartsWith("No role can run: no secrets directory can be used (/proc/runner-appliance cannot be created",
            (await Api.ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheRemovals_DeleteEveryRoleRunsSecrets_AndCountThem()
    {
        var (leftovers, legacy) = PlantLeftovers();
        var secrets = new SecretsDirectory(Options.Create(new EngineOptions { SecretsDirectory = _memory.Path }), new RecordingLogger());

        Assert.Equal(2, secrets.RemoveLeftovers());
        Assert.Equal(3, Workspace.RemoveLegacySecrets(Path.Combine(_data.Path, "runs"), new RecordingLogger()));
        Assert.All(leftovers, d => Assert.False(Directory.Exists(d)));
        Assert.Equal(["inventory.json", "vars.json"], Directory.GetFileSystemEntries(legacy).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void StartUpRecovery_RemovesTheSecretsAnyRoleRunLeft_InMemoryAndFromOlderVersionsOnDisk_AndNothingElse()
    {
        var (leftovers, legacy) = PlantLeftovers();

        using var host = new ApplianceHost(_data.Path, settings: new Dictionary<string, string?> { ["Appliance:Engine:SecretsDirectory"] = _memory.Path });
        _ = host.Services.GetRequiredService<DeploymentEngine>(); // the host has started: recovery ran before it

        Assert.All(leftovers, d => Assert.False(Directory.Exists(d)));
        Assert.Equal(["notes", "run-3-02"], Directory.GetFileSystemEntries(_memory.Path).Select(Path.GetFileName).Order());
        Assert.Equal(["inventory.json", "vars.json"], Directory.GetFileSystemEntries(legacy).Select(Path.GetFileName).Order());
    }

    /// <summary>
    /// Two role-run directories in the secrets directory (next to entries that are not the engine's), and
    /// a workspace in data/runs as versions before it left one: secrets.json, id_deploy, Ansible's temp.
    /// </summary>
    private (string[] Leftovers, string Legacy) PlantLeftovers()
    {
        string[] leftovers = [Path.Combine(_memory.Path, "run-3-02-1"), Path.Combine(_memory.Path, "run-12-01-4")];
        foreach (var leftover in leftovers)
        {
            Directory.CreateDirectory(Path.Combine(leftover, "tmp", "ansible-local-1"));
            File.WriteAllText(Path.Combine(leftover, "secrets.json"), "{}");
        }
        Directory.CreateDirectory(Path.Combine(_memory.Path, "run-3-02"));
        File.WriteAllText(Path.Combine(_memory.Path, "notes"), "not the engine's");
        var legacy = Path.Combine(_data.Path, "runs", "1", "01-testrole-1");
        Directory.CreateDirectory(Path.Combine(legacy, "tmp", "ansible-local-9"));
        foreach (var file in new[] { "secrets.json", "id_deploy", "vars.json", "inventory.json", Path.Combine("tmp", "ansible-local-9", "AnsiballZ_command.py") })
            File.WriteAllText(Path.Combine(legacy, file), "x");
        return (leftovers, legacy);
    }

    public void Dispose()
    {
        _data.Dispose();
        _memory.Dispose();
        if (Directory.Exists(_disk))
            Directory.Delete(_disk, recursive: true);
    }

    private sealed class RecordingLogger : ILogger<SecretsDirectory>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
