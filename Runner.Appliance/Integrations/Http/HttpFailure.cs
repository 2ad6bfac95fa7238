using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.RegularExpressions;

namespace Runner.Appliance.Integrations.Http;

/// <summary>
/// Turns what an HTTP call threw into words a field technician can act on: which stage failed
/// (name, connection, TLS, proxy, answer) and what that usually means.
/// </summary>
public static partial class HttpFailure
{
    /// <summary>
    /// Describes a failed call to <paramref name="target"/> ("sms.example.com:443"); <paramref name="tlsRefusal"/>
    /// is the trust's own reason when it refused the certificate. Null when the exception is not a network failure.
    /// </summary>
    public static string? Describe(Exception exception, string target, TimeSpan bound, string? tlsRefusal = null) => exception switch
    {
        TaskCanceledException or TimeoutException =>
            $"{target} gave no answer within {Seconds(bound)} s: the system is down, filtered by a firewall, or too slow.",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } =>
            $"The name of {target} does not resolve: check the host name and the DNS servers of this appliance.",
        HttpRequestException e when TunnelStatus(e) == (int)HttpStatusCode.ProxyAuthenticationRequired =>
            $"The proxy refused to open a tunnel to {target} without a valid login (HTTP 407): check the proxy user name and password of the Security step.",
        HttpRequestException { HttpRequestError: HttpRequestError.ProxyTunnelError } e =>
            $"The proxy did not open a tunnel to {target}: {e.Message}",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } e =>
            Tls(target, tlsRefusal, e),
        HttpRequestException e when e.InnerException is AuthenticationException =>
            Tls(target, tlsRefusal, e),
        HttpRequestException e when Socket(e) is { } socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"{target} refuses connections: nothing listens on that port, or a firewall rejects it.",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain =>
                $"The name of {target} does not resolve: check the host name and the DNS servers of this appliance.",
            SocketError.TimedOut => $"{target} did not accept a connection within {Seconds(bound)} s: it is down or filtered by a firewall.",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => $"{target} is not reachable from this appliance (no route): check its address and the gateway.",
            _ => $"Cannot connect to {target}: {socket.Message}",
        },
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse } =>
            $"{target} accepted the connection but did not answer HTTP: is it the right port, and does it expect https (or http)?",
        HttpRequestException e => $"The call to {target} failed: {e.Message}",
        SocketException s => $"Cannot connect to {target}: {s.Message}",
        _ => null,
    };

    /// <summary>The HTTP status a proxy refused a tunnel (CONNECT) with, or null when the call failed otherwise.</summary>
    public static int? TunnelStatus(HttpRequestException e) =>
        e.HttpRequestError != HttpRequestError.ProxyTunnelError ? null
        : e.StatusCode is { } status ? (int)status
        // .NET words it "…failed with status code '502'".
        : TunnelCode().Match(e.Message) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    public static string Seconds(TimeSpan bound) => bound.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Tls(string target, string? refusal, Exception e) => refusal is not null
        ? $"TLS to {target} refused: {refusal}."
        : $"TLS to {target} failed: {(e.InnerException ?? e).Message}";

    private static SocketException? Socket(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is SocketException socket)
                return socket;
        return null;
    }

    [GeneratedRegex("'(\\d{3})'")]
    private static partial Regex TunnelCode();
}
