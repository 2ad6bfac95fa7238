using System.Formats.Asn1;
using System.Net.Security;
using System.Net.Sockets;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Integrations.Ldap;

/// <summary>
/// A bounded look at an LDAP server without libldap: TCP connect, TLS (LDAPS, or StartTLS), then an
/// anonymous read of the root DSE. libldap under System.DirectoryServices.Protocols has no working
/// timeout on Linux (a silent server holds Bind or SendRequest until it closes the socket), so the
/// real conversation starts only once the server has answered here. The probe records the
/// certificate it saw through the conversation's <see cref="ServerTrust"/> (any, for the messages):
/// libldap decides trust.
/// </summary>
public static class LdapProbe
{
    // LDAPMessage { 1, searchRequest { "", baseObject, neverDerefAliases, 0, 0, FALSE, (objectClass=*), { "1.1" } } }
    private static readonly byte[] RootDseSearch =
        [0x30, 0x2a, 0x02, 0x01, 0x01, 0x63, 0x25, 0x04, 0x00, 0x0a, 0x01, 0x00, 0x0a, 0x01, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
         0x01, 0x01, 0x00, 0x87, 0x0b, .."objectClass"u8, 0x30, 0x05, 0x04, 0x03, .."1.1"u8];

    // LDAPMessage { 2, extendedReq { requestName 1.3.6.1.4.1.1466.20037 } }
    private static readonly byte[] StartTls = [0x30, 0x1d, 0x02, 0x01, 0x02, 0x77, 0x18, 0x80, 0x16, .."1.3.6.1.4.1.1466.20037"u8];

    private static readonly byte[] Unbind = [0x30, 0x05, 0x02, 0x01, 0x03, 0x42, 0x00];

    public enum Stage { Tcp, Tls, Ldap, Done }

    /// <summary>How far the probe got (<see cref="Stage.Done"/>: all of it) and why it stopped there.</summary>
    public sealed record Result(Stage Reached, string? Error, string? Certificate);

    public static async Task<Result> RunAsync(string host, int port, bool ldaps, bool startTls, ServerTrust trust, CancellationToken ct)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, ct);
        }
        catch (SocketException e)
        {
            return new(Stage.Tcp, Network.SocketErrors.Describe(e), null);
        }
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        string? certificate = null;
        try
        {
            if (startTls)
            {
                await stream.WriteAsync(StartTls, ct);
                var code = ResultCode(await ReadMessageAsync(stream, ct));
                if (code != 0)
                    return new(Stage.Tls, $"the server refuses StartTLS (LDAP result {code}{(code == 2 ? ", protocol error: StartTLS is not offered" : "")})", null);
            }
            if (ldaps || startTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                try
                {
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = host,
                        RemoteCertificateValidationCallback = (sender, cert, chain, errors) =>
                        {
                            var accepted = trust.Validate(sender, cert, chain, errors);
                            certificate = Describe(trust);
                            return accepted;
                        },
                    }, ct);
                }
                catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
                {
                    return new(Stage.Tls, $"no TLS handshake ({e.Message})", certificate);
                }
            }
            await stream.WriteAsync(RootDseSearch, ct);
            await ReadMessageAsync(stream, ct);
            await stream.WriteAsync(Unbind, ct);
            return new(Stage.Done, null, certificate);
        }
        catch (Exception e) when (e is IOException or AsnContentException or InvalidDataException)
        {
            return new(Stage.Ldap, $"it accepts connections but does not answer as an LDAP server ({e.Message})", certificate);
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    /// <summary>One whole BER-encoded LDAPMessage (tag, length, content).</summary>
    private static async Task<byte[]> ReadMessageAsync(Stream stream, CancellationToken ct)
    {
        var head = new byte[2];
        await stream.ReadExactlyAsync(head, ct);
        if (head[0] != 0x30)
            throw new InvalidDataException($"first byte 0x{head[0]:x2} is not an LDAP message");
        var length = (int)head[1];
        var lengthBytes = Array.Empty<byte>();
        if ((length & 0x80) != 0)
        {
            lengthBytes = new byte[length & 0x7f];
            if (lengthBytes.Length is 0 or > 3)
                throw new InvalidDataException("unusable message length");
            await stream.ReadExactlyAsync(lengthBytes, ct);
            length = lengthBytes.Aggregate(0, (sum, b) => (sum << 8) | b);
        }
        var message = new byte[2 + lengthBytes.Length + length];
        head.CopyTo(message, 0);
        lengthBytes.CopyTo(message, 2);
        await stream.ReadExactlyAsync(message.AsMemory(2 + lengthBytes.Length), ct);
        return message;
    }

    /// <summary>The resultCode of an LDAPResult-shaped response (extendedResp here).</summary>
    private static int ResultCode(byte[] message)
    {
        var reader = new AsnReader(message, AsnEncodingRules.BER).ReadSequence();
        reader.ReadInteger();
        var response = reader.ReadSequence(reader.PeekTag());
        return (int)new System.Numerics.BigInteger(response.ReadEnumeratedBytes().Span, isUnsigned: true, isBigEndian: true);
    }

    private static string? Describe(ServerTrust trust) => trust.Seen is not { } seen ? null
        : $"{seen.Subject}, issued by {seen.Issuer}, valid until {seen.NotAfter:yyyy-MM-dd}, SHA-256 {trust.SeenThumbprint} ({trust.SeenVerdict})";
}
