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

    /// <summary>Reads the lock file; throws <see cref="InvalidDataException"/> naming where it breaks. (Its JSON Schema check comes on top.)</summary>
    public static ArtifactLock Parse(string path)
    {
        try
        {
            using var reader = File.OpenText(path);
            return Yaml.Deserialize<ArtifactLock>(reader) ?? new ArtifactLock();
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}: not a valid lock file at line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}", e);
        }
    }
}
