using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;

namespace Runner.Appliance.Integrations.Network;

/// <summary>
/// Whether something already answers at an address: an ICMP echo reply, or — for a host that
/// drops ICMP but sits on the appliance's own network — a complete entry in the kernel's ARP table
/// after the echo request made the kernel ask.
/// </summary>
public static class AddressProbe
{
    public sealed record Presence(bool Answers, string How);

    public static async Task<Presence> ProbeAsync(IPAddress address, TimeSpan timeout, CancellationToken ct)
    {
        using var ping = new Ping();
        try
        {
            var reply = await ping.SendPingAsync(address, timeout, cancellationToken: ct);
            if (reply.Status == IPStatus.Success)
                return new(true, $"answers ping ({reply.RoundtripTime} ms)");
        }
        catch (PingException)
        {
            // No route or no permission: the ARP table below still tells.
        }
        return ArpComplete(address) ? new(true, "answers ARP (it drops ping)") : new(false, "no answer to ping or ARP");
    }

    /// <summary>/proc/net/arp: "IP address  HW type  Flags  HW address …"; flag 0x2 means the neighbour answered.</summary>
    private static bool ArpComplete(IPAddress address)
    {
        const string table = "/proc/net/arp";
        if (!File.Exists(table))
            return false;
        var text = address.ToString();
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 4 && columns[0] == text
                && int.TryParse(columns[2].Replace("0x", "", StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags)
                && (flags & 0x2) != 0 && columns[3] != "00:00:00:00:00:00")
                return true;
        }
        return false;
    }
}
