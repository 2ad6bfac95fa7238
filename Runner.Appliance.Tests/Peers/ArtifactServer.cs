using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// The download side of a build machine's world, on loopback: Kestrel serving fixed bytes by path (a
/// release file, a chart, Debian packages), with byte ranges as real servers offer them, counting every
/// request per path and keeping the Range header each one carried.
/// </summary>
public sealed class ArtifactServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _files;
    private readonly ConcurrentDictionary<string, bool> _noRanges;

    private ArtifactServer(WebApplication app, int port, ConcurrentDictionary<string, byte[]> files, ConcurrentDictionary<string, bool> noRanges)
    {
        _app = app;
        _files = files;
        _noRanges = noRanges;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Url { get; }

    /// <summary>Every request as "GET /path" or "GET /path Range: bytes=N-", in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public string UrlOf(string path) => new Uri(Url, path).ToString();

    /// <param name="ranges">False: the whole file to every request, Range or not (as some servers and proxies do).</param>
    public void Serve(string path, byte[] content, bool ranges = true)
    {
        _files[path] = content;
        if (!ranges)
            _noRanges[path] = true;
    }

    /// <summary>Requests so far for one path.</summary>
    public int RequestsFor(string path) => Requests.Count(r => r.StartsWith($"GET {path}", StringComparison.Ordinal) && (r.Length == 4 + path.Length || r[4 + path.Length] == ' '));

    public static async Task<ArtifactServer> StartAsync()
    {
        var files = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var noRanges = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        ArtifactServer? self = null;
        var (app, port) = await LoopbackHttps.StartAsync(null, app => app.MapGet("/{**path}", (HttpContext context) =>
        {
            var path = context.Request.Path.Value ?? "/";
            var range = context.Request.Headers.Range.ToString();
            self!.Requests.Enqueue(range.Length > 0 ? $"GET {path} Range: {range}" : $"GET {path}");
            return files.TryGetValue(path, out var content)
                ? Results.Bytes(content, "application/octet-stream", enableRangeProcessing: !noRanges.ContainsKey(path))
                : Results.NotFound();
        }));
        self = new ArtifactServer(app, port, files, noRanges);
        return self;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
