using System.Text.Json;

namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary>
/// An image: <c>skopeo copy docker://&lt;ref&gt; oci:images/&lt;name&gt;:&lt;version&gt;</c>, one platform (linux/amd64, the
/// site's), then proven: the layout's manifest for that tag has the lock's digest, every blob it needs is
/// there with its own digest, and manifest, config and layers add up to the lock's size. A layout that
/// already proves so is not copied again (no registry is asked).
/// </summary>
public sealed class ImageFetcher(FetchState state, FetchReport report, FetchOptions options)
{
    private const string RefName = "org.opencontainers.image.ref.name";

    private string Tree => options.OutDirectory;

    public async Task<FetchedArtifact> FetchAsync(LockedArtifact image, CancellationToken ct)
    {
        var folder = Path.Combine(Tree, image.Folder);
        if ((await ProveAsync(image, ct)).Image is { } present)
            return present;
        if (File.Exists(Path.Combine(folder, "index.json")) && !OnlyTag(folder, image.Version))
            Directory.Delete(folder, recursive: true); // another version's layout: start clean rather than carry its blobs
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        var registry = image.Source.Image!.Split('/')[0];
        List<string> arguments = ["copy", "--quiet", "--override-os", "linux", "--override-arch", "amd64"];
        if (options.InsecureRegistries.Contains(registry, StringComparer.OrdinalIgnoreCase))
            arguments.Add("--src-tls-verify=false");
        arguments.AddRange([$"docker://{image.Source.Image}", $"oci:{folder}:{image.Version}"]);
        report.Tool("skopeo", $"copy docker://{image.Source.Image} -> {image.Folder}");
        var result = await ToolRunner.RunAsync("skopeo", arguments, Tree, ct);
        if (result.ExitCode != 0)
        {
            DeleteIfEmpty(folder);
            throw new FetchException($"{image.Name}: skopeo could not copy {image.Source.Image} (exit {result.ExitCode}): {result.Tail}");
        }
        var (copied, why) = await ProveAsync(image, ct);
        if (copied is null)
        {
            Directory.Delete(folder, recursive: true); // nothing that looks like this image stays
            throw new FetchException($"{image.Name}: {why} The copy was deleted.");
        }
        report.Copied(copied.Size);
        return copied;
    }

    /// <summary>The layout's files when it holds the locked image intact; otherwise why not.</summary>
    private async Task<(FetchedArtifact? Image, string Why)> ProveAsync(LockedArtifact image, CancellationToken ct)
    {
        var folder = Path.Combine(Tree, image.Folder);
        if (!File.Exists(Path.Combine(folder, "index.json")) || !File.Exists(Path.Combine(folder, "oci-layout")))
            return (null, "there is no OCI layout (oci-layout, index.json).");
        try
        {
            using var index = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "index.json"), ct));
            var manifest = index.RootElement.GetProperty("manifests").EnumerateArray()
                .FirstOrDefault(m => m.TryGetProperty("annotations", out var a) && a.TryGetProperty(RefName, out var tag) && tag.GetString() == image.Version);
            if (manifest.ValueKind != JsonValueKind.Object)
                return (null, $"the layout has no image tagged {image.Version}.");
            var digest = manifest.GetProperty("digest").GetString() ?? "";
            if (digest != $"sha256:{image.Sha256}")
                return (null, $"sha256 mismatch for the manifest of {image.Source.Image}: expected {image.Sha256}, got {digest.Replace("sha256:", "", StringComparison.Ordinal)}.");
            var blobs = new List<(string Digest, long Size)> { (digest, manifest.GetProperty("size").GetInt64()) };
            if (!File.Exists(BlobPath(folder, digest)))
                return (null, $"the layout lacks its manifest blob {digest}.");
            using (var content = JsonDocument.Parse(await File.ReadAllBytesAsync(BlobPath(folder, digest), ct)))
            {
                var config = content.RootElement.GetProperty("config");
                blobs.Add((config.GetProperty("digest").GetString()!, config.GetProperty("size").GetInt64()));
                blobs.AddRange(content.RootElement.GetProperty("layers").EnumerateArray().Select(l => (l.GetProperty("digest").GetString()!, l.GetProperty("size").GetInt64())));
            }
            var size = blobs.Sum(b => b.Size);
            if (size != image.Size)
                return (null, $"{image.Source.Image} is {size} bytes (manifest, config and layers); the lock says {image.Size}.");
            List<string> files = [$"{image.Folder}/oci-layout", $"{image.Folder}/index.json"];
            foreach (var (blob, blobSize) in blobs.DistinctBy(b => b.Digest))
            {
                var relative = $"{image.Folder}/blobs/{blob.Replace(':', '/')}";
                var full = Path.Combine(Tree, relative);
                if (!File.Exists(full) || new FileInfo(full).Length != blobSize || $"sha256:{await state.HashAsync(Tree, relative, ct)}" != blob)
                    return (null, $"blob {blob} is missing or corrupt in the layout.");
                files.Add(relative);
            }
            foreach (var file in files.Take(2))
                await state.HashAsync(Tree, file, ct);
            return (new FetchedArtifact(image.Sha256, image.Size, files), "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, $"the layout does not read as an OCI image ({e.Message}).");
        }
    }

    private static void DeleteIfEmpty(string folder)
    {
        if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            Directory.Delete(folder);
    }

    /// <summary>Whether the layout's index names only this tag (skopeo adds a tag to an index; an old one would stay in it).</summary>
    private static bool OnlyTag(string folder, string version)
    {
        try
        {
            using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "index.json")));
            return index.RootElement.GetProperty("manifests").EnumerateArray()
                .All(m => m.TryGetProperty("annotations", out var a) && a.TryGetProperty(RefName, out var tag) && tag.GetString() == version);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string BlobPath(string folder, string digest) => Path.Combine(folder, "blobs", digest.Replace(':', '/'));
}

/// <summary>What a fetched artifact is in the manifest: its sha256 and size, and its files (tree-relative, sha256 in the fetch state).</summary>
public sealed record FetchedArtifact(string Sha256, long Size, IReadOnlyList<string> Files);
