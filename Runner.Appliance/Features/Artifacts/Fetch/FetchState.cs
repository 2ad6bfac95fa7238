using System.Security.Cryptography;
using System.Text.Json;

namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary>
/// <c>.fetch-state.json</c> in the tree: the sha256 of every file the fetcher verified, with the size and
/// modification time it had then, so that a second run re-hashes only a file that changed since (GBs of
/// images are not read again to learn they are intact); and each artifact found complete, with the lock
/// entry it was complete for. Not part of the tree's content: the import skips it (docs/artifacts.md).
/// Lost or unreadable, it costs one re-hash of what is there, nothing else.
/// </summary>
public sealed class FetchState
{
    public const string FileName = ".fetch-state.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public int Version { get; set; } = 1;

    /// <summary>Tree-relative path ("files/x/x.tgz") → what it was when verified.</summary>
    public Dictionary<string, VerifiedFile> Files { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Artifact name → the manifest entry it had when last found complete.</summary>
    public Dictionary<string, CompleteArtifact> Artifacts { get; set; } = new(StringComparer.Ordinal);

    public static FetchState Load(string tree)
    {
        var path = Path.Combine(tree, FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<FetchState>(File.ReadAllText(path), Json) ?? new() : new();
        }
        catch (JsonException)
        {
            return new();
        }
    }

    public async Task SaveAsync(string tree, CancellationToken ct)
    {
        var path = Path.Combine(tree, FileName);
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(this, Json), ct);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The sha256 recorded for the file when its size and modification time are still those recorded; null otherwise (hash it again).</summary>
    public string? Unchanged(string tree, string relative)
    {
        var info = new FileInfo(Path.Combine(tree, relative));
        return info.Exists && Files.TryGetValue(relative, out var known) && known.Size == info.Length && known.ModifiedTicks == info.LastWriteTimeUtc.Ticks
            ? known.Sha256 : null;
    }

    /// <summary>Records a file just verified (or written) as it is now.</summary>
    public VerifiedFile Record(string tree, string relative, string sha256)
    {
        var info = new FileInfo(Path.Combine(tree, relative));
        return Files[relative] = new VerifiedFile(info.Length, info.LastWriteTimeUtc.Ticks, sha256);
    }

    /// <summary>The file's sha256: the recorded one when it has not changed, else read and recorded.</summary>
    public async Task<string> HashAsync(string tree, string relative, CancellationToken ct)
    {
        if (Unchanged(tree, relative) is { } known)
            return known;
        string sha256;
        await using (var stream = new FileStream(Path.Combine(tree, relative), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        Record(tree, relative, sha256);
        return sha256;
    }
}

public sealed record VerifiedFile(long Size, long ModifiedTicks, string Sha256);

/// <summary>An artifact found complete: for which lock entry (sha256 of its JSON), and its manifest values.</summary>
public sealed record CompleteArtifact(string LockEntry, string Sha256, long Size, IReadOnlyList<string> Files);
