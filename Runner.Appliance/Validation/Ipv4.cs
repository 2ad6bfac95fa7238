using System.Globalization;

namespace Runner.Appliance.Validation;

/// <summary>Strict IPv4 parsing: four decimal octets, no leading zeros, no shorthand ("10.1" is refused).</summary>
public static class Ipv4
{
    public static bool TryParse(string? text, out uint address)
    {
        address = 0;
        var parts = text?.Trim().Split('.');
        if (parts is not { Length: 4 })
            return false;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0'))
                return false;
            var octet = int.Parse(part, CultureInfo.InvariantCulture);
            if (octet > 255)
                return false;
            address = (address << 8) | (uint)octet;
        }
        return true;
    }

    public static string Format(uint address) =>
        $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}";
}

/// <summary>An IPv4 network in CIDR form whose address is the network address itself.</summary>
public readonly record struct Ipv4Network(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    public uint Broadcast => Network | ~Mask;

    public long Size => 1L << (32 - PrefixLength);

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Overlaps(Ipv4Network other) => Network <= other.Broadcast && other.Network <= Broadcast;

    /// <summary>Usable host addresses exclude network and broadcast (except /31 and /32).</summary>
    public bool IsHostAddress(uint address) => Contains(address) && (PrefixLength >= 31 || (address != Network && address != Broadcast));

    public override string ToString() => $"{Ipv4.Format(Network)}/{PrefixLength}";

    /// <summary>Parses "a.b.c.d/n"; <paramref name="problem"/> says what is wrong in words a technician can act on.</summary>
    public static bool TryParse(string? text, out Ipv4Network network, out string? problem)
    {
        network = default;
        problem = null;
        var parts = text?.Trim().Split('/');
        if (parts is not { Length: 2 } || !Ipv4.TryParse(parts[0], out var address))
        {
            problem = "is not in CIDR form; expected an IPv4 network such as 10.1.100.0/24";
            return false;
        }
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix is < 8 or > 30)
        {
            problem = "has a prefix length outside 8 to 30; expected e.g. /24";
            return false;
        }
        var candidate = new Ipv4Network(address & (uint.MaxValue << (32 - prefix)), prefix);
        if (candidate.Network != address)
        {
            problem = $"is not a network address; did you mean {candidate}?";
            return false;
        }
        network = candidate;
        return true;
    }
}
