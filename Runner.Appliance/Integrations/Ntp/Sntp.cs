using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Runner.Appliance.Integrations.Ntp;

/// <summary>One SNTP (RFC 4330) exchange: does the server answer, with what stratum, and how far is our clock from its.</summary>
public static class Sntp
{
    private static readonly DateTime Epoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public sealed record Answer(IPAddress Server, int Stratum, TimeSpan Offset, TimeSpan RoundTrip);

    public static async Task<Answer> QueryAsync(IPAddress server, int port, TimeProvider clock, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var request = new byte[48];
        request[0] = 0x23; // LI 0, version 4, mode 3 (client)
        var sent = clock.GetUtcNow().UtcDateTime;
        Write(request.AsSpan(40), sent);
        await socket.ConnectAsync(server, port, ct);
        await socket.SendAsync(request, SocketFlags.None, ct);
        var reply = new byte[48];
        var length = await socket.ReceiveAsync(reply, SocketFlags.None, ct);
        var received = clock.GetUtcNow().UtcDateTime;
        if (length < 48 || (reply[0] & 0x07) is not (4 or 5))
            throw new InvalidDataException($"{server} answered, but not as an NTP server (mode {reply[0] & 0x07}).");
        var stratum = reply[1];
        if (stratum == 0)
            throw new InvalidDataException($"{server} answered \"kiss of death\" ({System.Text.Encoding.ASCII.GetString(reply, 12, 4)}): it refuses to serve time to the appliance.");
        var (serverReceived, serverSent) = (Read(reply.AsSpan(32)), Read(reply.AsSpan(40)));
        var offset = ((serverReceived - sent) + (serverSent - received)) / 2;
        var roundTrip = (received - sent) - (serverSent - serverReceived);
        return new Answer(server, stratum, offset, roundTrip);
    }

    private static void Write(Span<byte> target, DateTime time)
    {
        var ticks = (time - Epoch).Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * 0x1_0000_0000UL / TimeSpan.TicksPerSecond;
        BinaryPrimitives.WriteUInt32BigEndian(target, (uint)seconds);
        BinaryPrimitives.WriteUInt32BigEndian(target[4..], (uint)fraction);
    }

    private static DateTime Read(ReadOnlySpan<byte> source)
    {
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(source);
        var fraction = BinaryPrimitives.ReadUInt32BigEndian(source[4..]);
        return Epoch.AddTicks(seconds * TimeSpan.TicksPerSecond + (long)(fraction * (double)TimeSpan.TicksPerSecond / 0x1_0000_0000L));
    }
}
