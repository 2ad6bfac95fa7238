using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Integrations.Http;

/// <summary>What an HTTP GET got back: the status and how long the answer took.</summary>
public sealed record HttpAnswer(HttpStatusCode Status, long Milliseconds)
{
    public int Code => (int)Status;

    public bool Refused => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}

/// <summary>
/// How an endpoint is logged in to: Basic with a user name, and with none the secret alone as a
/// bearer token (monitoring and SMS APIs that take a token or API key).
/// </summary>
public sealed record EndpointLogin(string? Username, string Secret)
{
    public bool IsToken => string.IsNullOrWhiteSpace(Username);

    public AuthenticationHeaderValue Header => IsToken
        ? new AuthenticationHeaderValue("Bearer", Secret)
        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username!.Trim()}:{Secret}")));

    /// <summary>How messages name it: "the credentials of user gateway", "the bearer token".</summary>
    public string Described => IsToken ? "the bearer token" : $"the credentials of user {Username!.Trim()}";
}

/// <summary>
/// One harmless GET to an endpoint (no SMS is sent, nothing is written), under the conversation's
/// <see cref="ServerTrust"/>, directly or through a proxy. One instance per conversation.
/// </summary>
public sealed class HttpProbe(TimeSpan timeout, ServerTrust trust, IWebProxy? proxy = null) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = trust.Validate },
        UseProxy = proxy is not null,
        Proxy = proxy,
        ConnectTimeout = timeout,
        AllowAutoRedirect = false,
    }) { Timeout = timeout };

    /// <summary>Why the server's certificate was refused; null when it was accepted or not seen.</summary>
    public string? TlsRefusal => trust.Refusal;

    public async Task<HttpAnswer> GetAsync(Uri url, EndpointLogin? login, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = login?.Header;
        var clock = Stopwatch.StartNew();
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return new HttpAnswer(response.StatusCode, clock.ElapsedMilliseconds);
    }

    /// <summary>DNS then TCP, each named when it fails; null when a connection was opened (and closed at once).</summary>
    public static async Task<string?> ConnectAsync(string host, int port, CancellationToken ct)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await System.Net.Dns.GetHostAddressesAsync(host, ct);
        }
        catch (SocketException e)
        {
            return $"The name {host} does not resolve ({e.SocketErrorCode}): check the host name and the DNS servers of this appliance.";
        }
        if (addresses.Length == 0)
            return $"The name {host} resolves to no address: check its DNS record.";
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(addresses, port, ct);
            return null;
        }
        catch (SocketException e)
        {
            var list = string.Join(", ", addresses.Select(a => a.ToString()));
            return e.SocketErrorCode == SocketError.ConnectionRefused
                ? $"{host}:{port} ({list}) refuses connections: nothing listens on that port, or a firewall rejects it."
                : $"Cannot connect to {host}:{port} ({list}): {e.SocketErrorCode}.";
        }
    }

    public void Dispose() => _client.Dispose();
}
