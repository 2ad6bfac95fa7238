using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>Small artifacts made in the test with no network: a release file, a Helm chart, a Debian package, an OCI image.</summary>
public static class TestArtifacts
{
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256(string path) => Sha256(File.ReadAllBytes(path));

    /// <summary>Bytes that compress to nothing useful (as a release tarball), the same for one seed.</summary>
    public static byte[] RandomFile(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A chart directory (Chart.yaml, values.yaml, a template) tar.gz'd by tar, as <c>helm package</c> lays it out.</summary>
    public static byte[] Chart(string work, string name, string version)
    {
        var chart = Directory.CreateDirectory(Path.Combine(work, "chart", name)).FullName;
        File.WriteAllText(Path.Combine(chart, "Chart.yaml"), $"apiVersion: v2\nname: {name}\nversion: {version}\ndescription: A test chart\ntype: application\n");
        File.WriteAllText(Path.Combine(chart, "values.yaml"), "greeting: hello\n");
        Directory.CreateDirectory(Path.Combine(chart, "templates"));
        File.WriteAllText(Path.Combine(chart, "templates", "configmap.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  greeting: {{ .Values.greeting }}\n");
        var archive = Path.Combine(work, $"{name}-{version}.tgz");
        PeerProcess.Run("tar", ["-czf", archive, "-C", Path.Combine(work, "chart"), name]);
        return File.ReadAllBytes(archive);
    }

    /// <summary>A Debian package built by dpkg-deb from a control file and one documentation file.</summary>
    public static byte[] DebianPackage(string work, string name, string version)
    {
        var root = Path.Combine(work, "deb", name);
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        File.WriteAllText(Path.Combine(root, "DEBIAN", "control"),
            $"Package: {name}\nVersion: {version}\nArchitecture: all\nMaintainer: Runner Tests <tests@runner.invalid>\nDescription: a package of the artifact tests\n");
        Directory.CreateDirectory(Path.Combine(root, "usr", "share", "doc", name));
        File.WriteAllText(Path.Combine(root, "usr", "share", "doc", name, "README"), "Installed from the appliance's repository.\n");
        var deb = Path.Combine(work, $"{name}_{version}_all.deb");
        PeerProcess.Run("dpkg-deb", ["--build", "--root-owner-group", root, deb]);
        return File.ReadAllBytes(deb);
    }

    /// <summary>
    /// An OCI image layout written by hand (oci-layout, index.json, a manifest, a config, one gzip layer
    /// holding one file), tagged <paramref name="tag"/>. Returns the manifest's digest (hex) and the image's
    /// size as the lock counts it (manifest, config and layer).
    /// </summary>
    public static (string Digest, long Size) OciImage(string layout, string tag)
    {
        Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256"));
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var content = Encoding.UTF8.GetBytes("hello from the artifact tests\n");
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream(content), ModificationTime = DateTimeOffset.UnixEpoch, Mode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            });
        }
        var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(tar.ToArray());
        var layer = gzipped.ToArray();
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = "amd64", os = "linux", config = new { Cmd = new[] { "/bin/cat", "/hello.txt" } },
            rootfs = new { type = "layers", diff_ids = new[] { $"sha256:{Sha256(tar.ToArray())}" } },
        });
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2, mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = $"sha256:{Blob(layout, config)}", size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = $"sha256:{Blob(layout, layer)}", size = layer.Length } },
        });
        var digest = Blob(layout, manifest);
        File.WriteAllText(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllBytes(Path.Combine(layout, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            manifests = new[]
            {
                new Dictionary<string, object>
                {
                    ["mediaType"] = "application/vnd.oci.image.manifest.v1+json", ["digest"] = $"sha256:{digest}", ["size"] = manifest.Length,
                    ["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
                },
            },
        }));
        return (digest, manifest.Length + config.Length + layer.Length);
    }

    private static string Blob(string layout, byte[] content)
    {
        var digest = Sha256(content);
        File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", digest), content);
        return digest;
    }
}
