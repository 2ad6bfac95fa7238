using Runner.Appliance.Engine;
using YamlDotNet.Core;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// What the deployment says it needs: the lock file and, per catalog role, the artifacts it names.
/// The one place the store reads them, so that the catalog's own declarations can replace this reader.
/// </summary>
public interface IArtifactDeclarations
{
    /// <summary>The lock file (an empty lock when the file does not exist); throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    ArtifactLock Lock();

    /// <summary>The artifacts <paramref name="role"/> needs, by name (none when it declares nothing).</summary>
    IReadOnlyList<string> ArtifactsOf(CatalogRole role);
}

/// <summary>
/// Until the catalog loads the declarations itself (<c>ArtifactLock.Load</c> with the schema check and
/// <c>CatalogRole.Artifacts</c>): <see cref="ArtifactLock.Parse"/>, and <c>roles/&lt;role&gt;/meta/artifacts.yml</c>
/// read here. Both are re-read when their file changes (size or time), never on every call.
/// </summary>
public sealed class FileArtifactDeclarations(CatalogFile catalog) : IArtifactDeclarations
{
    private readonly CachedFile<ArtifactLock> _lock = new(ArtifactLock.Parse, () => new ArtifactLock { Version = 1 });
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CachedFile<IReadOnlyList<string>>> _roles = new(StringComparer.Ordinal);

    public string LockPath => Path.Combine(catalog.AnsibleDirectory, ArtifactLock.FileName);

    public ArtifactLock Lock() => _lock.Read(LockPath);

    public IReadOnlyList<string> ArtifactsOf(CatalogRole role) =>
        _roles.GetOrAdd(role.Name, _ => new CachedFile<IReadOnlyList<string>>(ReadRole, () => []))
            .Read(Path.Combine(catalog.AnsibleDirectory, "roles", role.Name, "meta", "artifacts.yml"));

    private static IReadOnlyList<string> ReadRole(string path)
    {
        try
        {
            using var reader = File.OpenText(path);
            return ArtifactLock.Yaml.Deserialize<RoleArtifacts>(reader)?.Artifacts ?? [];
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}: not a valid artifacts list at line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    internal sealed class RoleArtifacts
    {
        public List<string> Artifacts { get; set; } = [];
    }
}

/// <summary>A file read once per version (length and write time), with a value for when it does not exist.</summary>
internal sealed class CachedFile<T>(Func<string, T> read, Func<T> absent)
{
    private readonly Lock _gate = new();
    private (string Path, long Length, DateTime Written, T Value)? _last;

    public T Read(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
            return absent();
        lock (_gate)
        {
            if (_last is { } last && last.Path == path && last.Length == file.Length && last.Written == file.LastWriteTimeUtc)
                return last.Value;
        }
        var value = read(path);
        lock (_gate)
            _last = (path, file.Length, file.LastWriteTimeUtc, value);
        return value;
    }
}
