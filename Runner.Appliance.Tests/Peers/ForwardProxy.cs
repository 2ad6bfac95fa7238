using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A minimal HTTP forward proxy written for the tests (Debian's tinyproxy and squid are not
/// installed here): raw sockets on loopback, one request per connection, HTTP CONNECT tunnels and
/// absolute-form requests (GET http://host/path) relayed in origin form; 502 when the target does not
/// accept the connection, 400 for a request that is not a proxy request. Started with a login, it
/// answers 407 with a Basic challenge to any request without that Proxy-Authorization, as squid does.
/// It records what it relayed.
/// </summary>
public sealed class ForwardProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<IDisposable> _open = [];
    private readonly string? _login;

    /// <param name="user">with <paramref name="password"/>: the only login the proxy relays for</param>
    public ForwardProxy(string? user = null, string? password = null)
    {
        _login = user is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>The request lines relayed: "CONNECT 127.0.0.1:4443 HTTP/1.1", "GET http://127.0.0.1:8080/api/send HTTP/1.1".</summary>
    public ConcurrentQueue<string> Relayed { get; } = new();

    /// <summary>The request lines answered 407: sent without the proxy's login, or with another one.</summary>
    public ConcurrentQueue<string> Challenged { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _open.Add(client);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var ct = _stop.Token;
            var stream = client.GetStream();
            var (head, rest) = await ReadHeadAsync(stream, ct);
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            if (parts.Length != 3 || (parts[0] != "CONNECT" && !parts[1].StartsWith("http://", StringComparison.Ordinal)))
            {
                await ReplyAsync(stream, "400 Bad Request", ct);
                return;
            }
            if (_login is not null && !lines.Contains($"Proxy-Authorization: Basic {_login}", StringComparer.OrdinalIgnoreCase))
            {
                Challenged.Enqueue(lines[0]);
                await ReplyAsync(stream, "407 Proxy Authentication Required", ct, "Proxy-Authenticate: Basic realm=\"test proxy\"\r\n");
                return;
            }
            var connect = parts[0] == "CONNECT";
            var target = connect ? new Uri($"tcp://{parts[1]}") : new Uri(parts[1]);
            var upstream = new TcpClient();
            _open.Add(upstream);
            try
            {
                await upstream.ConnectAsync(target.Host, target.Port, ct);
            }
            catch (SocketException)
            {
                await ReplyAsync(stream, "502 Bad Gateway", ct);
                return;
            }
            Relayed.Enqueue(lines[0]);
            var upstreamStream = upstream.GetStream();
            if (connect)
                await stream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), ct);
            else
            {
                var headers = lines.Skip(1).Where(l => l.Length > 0 && !l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
                    && !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase));
                var request = $"{parts[0]} {target.PathAndQuery} {parts[2]}\r\n{string.Join("\r\n", headers)}\r\nConnection: close\r\n\r\n";
                await upstreamStream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
            }
            await upstreamStream.WriteAsync(rest, ct);
            await Task.WhenAny(stream.CopyToAsync(upstreamStream, ct), upstreamStream.CopyToAsync(stream, ct));
            upstream.Dispose();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A peer that hangs up ends its connection only.
        }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task<(string Head, byte[] Remainder)> ReadHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        while (buffer.Count < 65536)
        {
            var read = await stream.ReadAsync(chunk, ct);
            if (read == 0)
                break;
            buffer.AddRange(chunk.AsSpan(0, read));
            var text = Encoding.ASCII.GetString([.. buffer]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
                return (text[..end], [.. buffer.Skip(end + 4)]);
        }
        return (Encoding.ASCII.GetString([.. buffer]), []);
    }

    private static Task ReplyAsync(NetworkStream stream, string status, CancellationToken ct, string headers = "") =>
        stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n"), ct).AsTask();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var open in _open)
            open.Dispose();
        _stop.Dispose();
    }
}
