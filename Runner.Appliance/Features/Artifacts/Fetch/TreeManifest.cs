using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary><c>manifest.json</c> of an artifact tree (docs/artifacts.md): every artifact and every file, with sha256 and size.</summary>
/// <param name="Created">UTC, whole seconds ("2026-12-01T10:00:00Z").</param>
public sealed record TreeManifest(int Version, DateTime Created, ManifestLock Lock, IReadOnlyList<ManifestArtifact> Artifacts, IReadOnlyList<ManifestFile> Files)
{
    public const string FileName = "manifest.json";
    public const string ChecksumFileName = "manifest.json.sha256";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Writes manifest.json, then manifest.json.sha256 (sha256sum format) beside it; each through a temporary file, so neither is ever half-written.</summary>
    public async Task WriteAsync(string tree, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this, Json);
        await WriteAtomicallyAsync(Path.Combine(tree, FileName), bytes, ct);
        var line = $"{Convert.ToHexStringLower(SHA256.HashData(bytes))}  {FileName}\n";
        await WriteAtomicallyAsync(Path.Combine(tree, ChecksumFileName), System.Text.Encoding.UTF8.GetBytes(line), ct);
    }

    public static TreeManifest Read(string tree) =>
        JsonSerializer.Deserialize<TreeManifest>(File.ReadAllBytes(Path.Combine(tree, FileName)), Json) ?? throw new InvalidDataException($"{tree}/{FileName} is empty.");

    private static async Task WriteAtomicallyAsync(string path, byte[] bytes, CancellationToken ct)
    {
        await File.WriteAllBytesAsync(path + ".tmp", bytes, ct);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}

public sealed record ManifestLock(string Sha256);

/// <param name="Sha256">file, chart, collection, wheel: the file's; image: its manifest digest; package-repo: its index's (Packages or repodata/repomd.xml).</param>
/// <param name="Size">The lock's size: the file; manifest, config and layers; the sum of the packages.</param>
/// <param name="Path">The artifact's folder in the tree.</param>
public sealed record ManifestArtifact(string Name, ArtifactKind Kind, string Version, string Sha256, long Size, string Path, IReadOnlyList<string> Files);
