using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A container registry on loopback: Debian's docker-registry (the CNCF distribution registry 2.8) with a
/// private config and storage directory, plain HTTP on a free port. Its access log (the program's output)
/// counts the requests it served.
/// </summary>
public sealed class DistributionRegistry : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly PeerProcess _process;

    public DistributionRegistry()
    {
        Port = PeerProcess.FreePort();
        var config = Path.Combine(_directory.Path, "config.yml");
        // The access log (one line per request) is what Requests counts; level error keeps the rest quiet.
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Path.Combine(_directory.Path, "storage")}
            http:
              addr: 127.0.0.1:{Port}
            """);
        _process = new PeerProcess("docker-registry", ["serve", config]);
        _process.WaitForPort(Port);
    }

    public int Port { get; }

    /// <summary>host:port, as an image reference starts.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Registry API requests served so far (the access log's lines).</summary>
    public int Requests => _process.Output.Split('\n').Count(l => l.Contains(" /v2/", StringComparison.Ordinal));

    /// <summary>Pushes an OCI layout's tag as <c>&lt;repository&gt;:&lt;tag&gt;</c>, with skopeo.</summary>
    public void Push(string layout, string tag, string repository) =>
        PeerProcess.Run("skopeo", ["copy", "--quiet", "--dest-tls-verify=false", $"oci:{layout}:{tag}", $"docker://{Host}/{repository}:{tag}"]);

    public void Dispose()
    {
        _process.Dispose();
        _directory.Dispose();
    }
}
