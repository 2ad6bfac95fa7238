using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>
/// An artifact tree exactly as docs/artifacts.md lays it out (files/, charts/, images/ as OCI layouts,
/// repos/ as flat Debian repositories, manifest.json and its sha256), and the lock file that pins it.
/// Large files are written in chunks of deterministic bytes, never held in memory.
/// </summary>
public sealed class TestTree(string root)
{
    private readonly List<Entry> _artifacts = [];

    public string Root { get; } = root;

    private sealed record TreeFile(string Path, string Sha256, long Size);

    /// <param name="Sized">What the lock's size counts (docs/artifacts.md): the file; an image's blobs; a repository's packages.</param>
    private sealed record Entry(string Name, string Kind, string Version, string Os, string Sha256, string Folder, List<TreeFile> Files, List<TreeFile> Packages, List<TreeFile> Sized)
    {
        public long Size => Sized.Sum(f => f.Size);
    }

    public TestTree File(string name, string fileName, long size, string version = "1.0.0") =>
        Add(name, "file", version, "any", $"files/{name}", folder => [Write($"{folder}/{fileName}", size, name)], useFileSha: true);

    public TestTree Chart(string name, string version = "1.2.0") =>
        Add(name, "chart", version, "any", $"charts/{name}", folder => [WriteBytes($"{folder}/{name}-{version}.tgz", Gzip($"chart {name} {version}"))], useFileSha: true);

    /// <summary>An OCI layout: oci-layout, index.json, and blobs (config, <paramref name="layers"/> layers, the image manifest).</summary>
    public TestTree Image(string name, string version = "2.8.3", int layers = 3, long layerSize = 64 * 1024)
    {
        var folder = $"images/{name}";
        var files = new List<TreeFile>();
        var layerBlobs = Enumerable.Range(0, layers).Select(i => Blob(folder, Bytes($"{name}-layer-{i}", layerSize), files)).ToList();
        var config = Blob(folder, Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"name\":\"{name}\"}}"), files);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2, ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = $"sha256:{config.Sha256}", size = config.Size },
            ["layers"] = layerBlobs.Select(l => new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = $"sha256:{l.Sha256}", size = l.Size }).ToArray(),
        });
        var image = Blob(folder, manifest, files);
        files.Add(WriteBytes($"{folder}/oci-layout", Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}")));
        files.Add(WriteBytes($"{folder}/index.json", JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            manifests = new[] { new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = $"sha256:{image.Sha256}", size = image.Size } },
        })));
        // The layout's small files first, the layers last: as a registry lists them, and so that a big layer is not the first file read.
        files = [.. files.Skip(layers).Reverse(), .. files.Take(layers)];
        _artifacts.Add(new Entry(name, "image", version, "any", image.Sha256, folder, files, [], [.. files.Where(f => f.Path.Contains("/blobs/", StringComparison.Ordinal))]));
        return this;
    }

    /// <summary>A flat Debian repository: the .deb files, Packages and Packages.gz.</summary>
    public TestTree Repo(string name, params string[] packages)
    {
        var folder = $"repos/{name}";
        var debs = packages.Select(p => WriteBytes($"{folder}/{p}_1.0_amd64.deb", Bytes($"deb {p}", 4096 + p.Length))).ToList();
        var index = string.Join("\n", packages.Zip(debs, (p, d) => $"Package: {p}\nVersion: 1.0\nArchitecture: amd64\nFilename: ./{Path.GetFileName(d.Path)}\nSize: {d.Size}\nSHA256: {d.Sha256}\n"));
        var packagesFile = WriteBytes($"{folder}/Packages", Encoding.UTF8.GetBytes(index));
        var files = new List<TreeFile>(debs) { packagesFile, WriteBytes($"{folder}/Packages.gz", Gzip(index)) };
        // In the manifest a repository's sha256 is its index's; the lock gives it none.
        _artifacts.Add(new Entry(name, "package-repo", "2026-12-01", "debian12", packagesFile.Sha256, folder, files, debs, debs));
        return this;
    }

    public string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>The tree-relative paths of an artifact's files, in manifest order.</summary>
    public IReadOnlyList<string> FilesOf(string name) => [.. _artifacts.Single(a => a.Name == name).Files.Select(f => f.Path)];

    /// <summary>The tree-relative path of the largest file of an artifact.</summary>
    public string LargestFileOf(string name) => _artifacts.Single(a => a.Name == name).Files.MaxBy(f => f.Size)!.Path;

    public long SizeOf(string name) => _artifacts.Single(a => a.Name == name).Size;

    /// <summary>Writes manifest.json (every artifact and file as built, before any test damages the tree; <paramref name="edit"/> may change it) and manifest.json.sha256.</summary>
    public TestTree WriteManifest(Action<JsonObject>? edit = null)
    {
        var manifest = JsonSerializer.SerializeToNode(new
        {
            version = 1, created = "2026-12-01T10:00:00Z", @lock = new { sha256 = new string('0', 64) },
            artifacts = _artifacts.Select(a => new { name = a.Name, kind = a.Kind, version = a.Version, sha256 = a.Sha256, size = a.Size, path = a.Folder, files = a.Files.Select(f => f.Path) }),
            files = _artifacts.SelectMany(a => a.Files).Select(f => new { path = f.Path, sha256 = f.Sha256, size = f.Size }),
        })!.AsObject();
        edit?.Invoke(manifest);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { WriteIndented = true });
        System.IO.File.WriteAllBytes(PathOf("manifest.json"), bytes);
        System.IO.File.WriteAllText(PathOf("manifest.json.sha256"), $"{Convert.ToHexStringLower(SHA256.HashData(bytes))}  manifest.json\n");
        return this;
    }

    /// <summary>The lock file pinning every artifact of the tree (all but <paramref name="leaveOut"/>).</summary>
    public string LockYaml(params string[] leaveOut)
    {
        var yaml = new StringBuilder("version: 1\nartifacts:\n");
        foreach (var a in _artifacts.Where(a => !leaveOut.Contains(a.Name)))
        {
            yaml.Append($"  - name: {a.Name}\n    kind: {a.Kind}\n    version: \"{a.Version}\"\n    os: {a.Os}\n");
            if (a.Kind != "package-repo")
                yaml.Append($"    sha256: {a.Sha256}\n");
            yaml.Append($"    size: {a.Size}\n    source:\n");
            if (a.Kind == "image")
                yaml.Append($"      image: docker.io/library/{a.Name}:{a.Version}\n");
            else if (a.Kind == "package-repo")
            {
                yaml.Append("      packages:\n");
                foreach (var p in a.Packages)
                    yaml.Append($"        - {{ name: {Path.GetFileName(p.Path).Split('_')[0]}, version: \"1.0\", arch: amd64, url: \"http://deb.example.invalid/{Path.GetFileName(p.Path)}\", sha256: {p.Sha256}, size: {p.Size} }}\n");
            }
            else
                yaml.Append($"      url: https://example.invalid/{a.Name}/{Path.GetFileName(a.Files[0].Path)}\n");
        }
        return yaml.ToString();
    }

    /// <summary>Changes one byte of a file of the tree in place (the manifest keeps the old sha256).</summary>
    public void FlipByte(string relative, long offset = 0)
    {
        using var stream = new FileStream(PathOf(relative), FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0xFF));
    }

    private TestTree Add(string name, string kind, string version, string os, string folder, Func<string, List<TreeFile>> write, bool useFileSha)
    {
        var files = write(folder);
        _artifacts.Add(new Entry(name, kind, version, os, useFileSha ? files[0].Sha256 : "", folder, files, [], files));
        return this;
    }

    private TreeFile Blob(string folder, byte[] content, List<TreeFile> files)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var file = WriteBytes($"{folder}/blobs/sha256/{sha}", content);
        files.Add(file);
        return file;
    }

    private TreeFile WriteBytes(string relative, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(relative))!);
        System.IO.File.WriteAllBytes(PathOf(relative), content);
        return new TreeFile(relative, Convert.ToHexStringLower(SHA256.HashData(content)), content.Length);
    }

    /// <summary>A file of <paramref name="size"/> deterministic bytes, written and hashed 1 MiB at a time.</summary>
    private TreeFile Write(string relative, long size, string seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(relative))!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var stream = System.IO.File.Create(PathOf(relative)))
        {
            var chunk = Bytes(seed, (int)Math.Min(size, 1 << 20));
            for (long written = 0, i = 0; written < size; i++)
            {
                var n = (int)Math.Min(chunk.Length, size - written);
                chunk[0] = (byte)i; // no two chunks alike
                hash.AppendData(chunk, 0, n);
                stream.Write(chunk, 0, n);
                written += n;
            }
        }
        return new TreeFile(relative, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private static byte[] Bytes(string seed, long size)
    {
        var bytes = new byte[size];
        new Random(seed.GetHashCode(StringComparison.Ordinal) & 0x7FFFFFFF).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }
}
