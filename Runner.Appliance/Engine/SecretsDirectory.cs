using System.Globalization;
using Microsoft.Extensions.Options;

namespace Runner.Appliance.Engine;

/// <summary>
/// Where a role run keeps what must not outlive it: secrets.json, the decrypted SSH key, Ansible's
/// home and local temp (module arguments land there), localhost's remote temp (copy and template
/// stage content there) and its ssh control sockets. One 0700 directory
/// per role run, on a memory filesystem, so that no crash or power cut leaves a secret on disk; the
/// role run deletes its directory when it ends, start-up recovery whatever a dead process left.
/// </summary>
public sealed class SecretsDirectory
{
    private const string Prefix = "run-";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly ILogger _logger;

    public SecretsDirectory(IOptions<EngineOptions> options, ILogger<SecretsDirectory> logger)
    {
        _logger = logger;
        var configured = options.Value.SecretsDirectory;
        (Root, Problem) = OperatingSystem.IsWindows() ? (null, "the deployment engine runs Ansible, which needs Linux.")
            : string.IsNullOrWhiteSpace(configured) ? Choose(DefaultCandidates())
            : Choose([Path.GetFullPath(configured)]);
        if (Root is null)
            logger.LogError("No role run can start: {Problem}", Problem);
        else if (!UnixFiles.IsInMemory(Root))
            logger.LogWarning("The secrets directory {Directory} is not on a memory filesystem (tmpfs): the secrets of a role run the appliance dies in stay on disk until the next start. Set Appliance:Engine:SecretsDirectory to a directory on tmpfs", Root);
        else
            logger.LogInformation("Role runs keep their secrets in {Directory} (tmpfs)", Root);
    }

    /// <summary>The directory in use, or null when none could be used (<see cref="Problem"/> says why).</summary>
    public string? Root { get; }

    public string? Problem { get; }

    /// <summary>A new, empty, 0700 directory for one role run.</summary>
    public string CreateFor(int runId, int order, int attempt)
    {
        if (Root is null || OperatingSystem.IsWindows())
            throw new InvalidOperationException(Problem);
        var path = Path.Combine(Root, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{runId}-{order:00}-{attempt}"));
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
        Directory.CreateDirectory(path, OwnerOnly);
        return path;
    }

    /// <summary>Deletes the directory of every role run (start-up: none is running); returns how many there were.</summary>
    public int RemoveLeftovers()
    {
        if (Root is null)
            return 0;
        var removed = 0;
        // Only names this class makes: the directory may be one an operator shares with other things.
        foreach (var directory in Directory.GetDirectories(Root, Prefix + "*").Where(d => IsRoleRunName(Path.GetFileName(d))))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Start-up goes on; the warning names what is left (a root-owned file of a become task, say).
                _logger.LogWarning("Could not remove the leftover role-run directory {Directory}: {Reason}", directory, e.Message);
            }
        }
        return removed;
    }

    /// <summary>systemd's RuntimeDirectory= (the unit sets it), /run, then /dev/shm for a service without either.</summary>
    public static IEnumerable<string> DefaultCandidates()
    {
        if (Environment.GetEnvironmentVariable("RUNTIME_DIRECTORY")?.Split(':')[0] is { Length: > 0 } runtime)
            yield return runtime;
        yield return "/run/runner-appliance";
        yield return string.Create(CultureInfo.InvariantCulture, $"/dev/shm/runner-appliance-{UnixFiles.EffectiveUserId}");
    }

    /// <summary>
    /// The first candidate that is usable and in memory; failing that the first usable one (the caller
    /// warns). /run is not tmpfs in every container, /dev/shm nearly always is.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    internal static (string? Root, string? Problem) Choose(IEnumerable<string> candidates)
    {
        (string? Path, bool Created) onDisk = (null, false);
        var problems = new List<string>();
        foreach (var candidate in candidates)
        {
            var existed = Directory.Exists(candidate);
            if (Prepare(candidate) is { } problem)
            {
                problems.Add(problem);
                continue;
            }
            if (UnixFiles.IsInMemory(candidate))
            {
                if (onDisk is { Path: { } unused, Created: true })
                    Directory.Delete(unused); // made by this call, empty: leave no trace of a directory not chosen
                return (candidate, null);
            }
            if (onDisk.Path is null)
                onDisk = (candidate, !existed);
            else if (!existed)
                Directory.Delete(candidate);
        }
        return onDisk.Path is null ? (null, $"no secrets directory can be used ({string.Join("; ", problems)}).") : (onDisk.Path, null);
    }

    /// <summary>Null when <paramref name="path"/> is (now) a 0700 directory of this user; else why not.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string? Prepare(string path)
    {
        try
        {
            Directory.CreateDirectory(path, OwnerOnly);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{path} cannot be created: {e.Message}";
        }
        // /dev/shm is writable by everyone: a directory or link planted there under our name must not be used.
        if (UnixFiles.Describe(path) is not { } entry || !entry.IsDirectory)
            return $"{path} is not a directory (a symbolic link is refused)";
        if (entry.Owner != UnixFiles.EffectiveUserId)
            return $"{path} belongs to another user (uid {entry.Owner})";
        File.SetUnixFileMode(path, OwnerOnly);
        return null;
    }

    private static bool IsRoleRunName(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal) && name[Prefix.Length..].Split('-') is { Length: 3 } parts && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
}
