using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runner.Appliance.Features.Artifacts;

/// <summary><c>manifest.json</c> of an artifact tree (docs/artifacts.md): every artifact and every file, with sha256 and size.</summary>
public sealed record ArtifactManifest(int Version, IReadOnlyList<TreeArtifact> Artifacts, IReadOnlyList<ManifestFile> Files, DateTimeOffset? Created = null, TreeLockPin? Lock = null)
{
    public const string FileName = "manifest.json";
    public const string ChecksumFileName = "manifest.json.sha256";

    private static readonly char[] Blanks = [' ', '\t', '\r', '\n'];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>
    /// Reads the tree's manifest after checking it against <c>manifest.json.sha256</c> (sha256sum format);
    /// throws <see cref="InvalidDataException"/> saying which of the two is wrong.
    /// </summary>
    public static async Task<ArtifactManifest> ReadAsync(string tree, CancellationToken ct)
    {
        var path = Path.Combine(tree, FileName);
        var checksumPath = Path.Combine(tree, ChecksumFileName);
        if (!File.Exists(path))
            throw new InvalidDataException($"{path} does not exist: an artifact tree has {FileName} at its top (docs/artifacts.md).");
        if (!File.Exists(checksumPath))
            throw new InvalidDataException($"{checksumPath} does not exist: the tree's manifest cannot be checked.");
        var bytes = await File.ReadAllBytesAsync(path, ct);
        var expected = (await File.ReadAllTextAsync(checksumPath, ct)).Split(Blanks, 2)[0].Trim().ToLowerInvariant();
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (expected != actual)
            throw new InvalidDataException($"{FileName} has sha256 {actual}, but {ChecksumFileName} says {(expected.Length == 0 ? "nothing" : expected)}: the manifest is damaged or was changed; nothing was imported.");
        try
        {
            return JsonSerializer.Deserialize<ArtifactManifest>(bytes, Json) ?? throw new InvalidDataException($"{FileName} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{FileName} is not a manifest{(e.Path is { } at ? $" at {at}" : "")}: {e.Message}", e);
        }
    }
}

public sealed record TreeLockPin(string? Sha256 = null);

/// <summary>One artifact of a manifest: what it is, where its folder is, and the files it consists of.</summary>
public sealed record TreeArtifact(string Name, ArtifactKind Kind, string Version, long Size, string Path, IReadOnlyList<string> Files, string? Sha256 = null);

/// <summary>One file of a tree's manifest: the same record where the fetcher writes it (Fetch/TreeManifest) and the import reads it.</summary>
public sealed record ManifestFile(string Path, string Sha256, long Size);
