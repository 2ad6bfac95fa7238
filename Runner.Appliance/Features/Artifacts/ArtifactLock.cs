using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Runner.Appliance.Features.Artifacts;

public enum ArtifactKind { File, Image, Chart, PackageRepo, Collection, Wheel }

/// <summary>Where a build machine fetches an artifact: a URL, a registry reference, or a list of packages.</summary>
public sealed class ArtifactSource
{
    public string? Url { get; set; }

    public string? Image { get; set; }

    public List<LockedPackage> Packages { get; set; } = [];

    /// <summary>The file a URL names (its last path segment, unescaped), "" when it names none that is safe to write.</summary>
    public static string FileNameOf(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return "";
        var name = Uri.UnescapeDataString(uri.AbsolutePath[(uri.AbsolutePath.LastIndexOf('/') + 1)..]);
        return name is "" or "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0 || name.EndsWith(".part", StringComparison.Ordinal) ? "" : name;
    }
}

/// <summary>One package of a repository artifact, pinned like an artifact.</summary>
public sealed class LockedPackage
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public string Arch { get; set; } = "";
    public string Url { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public long Size { get; set; }

    /// <summary>The package's file in its repository folder: the last segment of its URL.</summary>
    public string FileName => ArtifactSource.FileNameOf(Url);
}

/// <summary>One pinned artifact of <c>ansible/artifacts.lock.yml</c>.</summary>
public sealed class LockedArtifact
{
    public string Name { get; set; } = "";
    public ArtifactKind Kind { get; set; }
    public string Version { get; set; } = "";

    /// <summary>any, rhel9 (the site) or debian12 (the test machines).</summary>
    public string Os { get; set; } = "any";

    /// <summary>Of the file; of the manifest for an image; empty for a package repository (each package has its own).</summary>
    public string Sha256 { get; set; } = "";
    public long Size { get; set; }
    public ArtifactSource Source { get; set; } = new();

    /// <summary>For file, chart, collection and wheel: the file in the artifact's folder (the last segment of its URL).</summary>
    public string FileName => ArtifactSource.FileNameOf(Source.Url);

    /// <summary>The artifact's folder in a tree and in the store: files/<name>, images/<name>, repos/<name>, …</summary>
    public string Folder => $"{KindFolder(Kind)}/{Name}";

    public static string KindFolder(ArtifactKind kind) => kind switch
    {
        ArtifactKind.File => "files", ArtifactKind.Image => "images", ArtifactKind.Chart => "charts",
        ArtifactKind.PackageRepo => "repos", ArtifactKind.Collection => "collections", _ => "wheels",
    };
}

/// <summary><c>ansible/artifacts.lock.yml</c>: every artifact a deployment installs, pinned.</summary>
public sealed class ArtifactLock
{
    public const string FileName = "artifacts.lock.yml";

    public int Version { get; set; }

    public List<LockedArtifact> Artifacts { get; set; } = [];

    public LockedArtifact? Artifact(string name) => Artifacts.FirstOrDefault(a => a.Name == name);

    public static IDeserializer Yaml { get; } = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithEnumNamingConvention(HyphenatedNamingConvention.Instance).Build();

    /// <summary>The sha256 of the lock file as read by <see cref="Load"/> (manifest.json names the lock it was fetched from).</summary>
    [YamlIgnore]
    public string FileSha256 { get; private set; } = "";

    /// <summary>Reads the lock file; throws <see cref="InvalidDataException"/> naming where it breaks. (Its JSON Schema check comes on top.)</summary>
    public static ArtifactLock Parse(string path)
    {
        using var reader = File.OpenText(path);
        return Parse(reader, path);
    }

    public static ArtifactLock Parse(TextReader reader, string source)
    {
        try
        {
            return Yaml.Deserialize<ArtifactLock>(reader) ?? new ArtifactLock();
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}: not a valid lock file at line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    /// <summary>
    /// Reads the lock file and checks it against <c>artifacts.lock.schema.json</c>, then the rules a schema
    /// cannot say (unique names, a repository's size); throws <see cref="InvalidDataException"/> listing every
    /// problem with its line.
    /// </summary>
    public static ArtifactLock Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{path}: no such lock file.", e);
        }
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var problems = LockSchema.Check(YamlJson.Read(new StringReader(text), path));
        ArtifactLock? artifactLock = null;
        if (problems.Count == 0)
        {
            artifactLock = Parse(new StringReader(text), path);
            problems.AddRange(LockRules.Check(artifactLock));
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"{path} breaks the lock rules:{Environment.NewLine}- {string.Join($"{Environment.NewLine}- ", problems)}");
        artifactLock!.FileSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        return artifactLock;
    }
}
