using System.Text.RegularExpressions;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Zones;

/// <summary>
/// Every rule a zone follows, alone and against the other zones. One validator for the wizard
/// form, the API and the answer-file import; messages name the value and what is expected.
/// </summary>
public static partial class ZoneValidator
{
    public static readonly IReadOnlyList<string> DefaultZones = ["LAN_INFRA", "LAN_APPS", "DMZ"];

    public static FieldErrors Validate(ZoneDto zone, IEnumerable<ZoneDto> otherZones, IReadOnlyCollection<string> hypervisors)
    {
        var errors = new FieldErrors();
        var others = otherZones.Where(o => o.Id != zone.Id || zone.Id == 0).ToList();
        CheckName(errors, zone.Name, others);
        CheckVlan(errors, zone.VlanId, others);
        if (CheckSubnet(errors, zone.Subnet, others) is { } subnet)
        {
            CheckGateway(errors, zone.Gateway, subnet);
            CheckRange(errors, zone, subnet);
        }
        CheckAddressList(errors, "dnsServers", "DNS server", zone.DnsServers, allowNames: false);
        CheckAddressList(errors, "ntpServers", "NTP server", zone.NtpServers, allowNames: true);
        var hypervisor = zone.Hypervisor?.Trim();
        if (string.IsNullOrEmpty(hypervisor))
            errors.Add("hypervisor", $"Hypervisor is required: the alias of the hypervisor this zone's VMs go to ({Known(hypervisors)}).");
        else if (!hypervisors.Contains(hypervisor, StringComparer.OrdinalIgnoreCase))
            errors.Add("hypervisor", $"Hypervisor '{hypervisor}' does not exist; known hypervisors: {Known(hypervisors)}.");
        if (!string.IsNullOrWhiteSpace(zone.SearchDomain) && !NetworkRules.IsDomainName(zone.SearchDomain.Trim()))
            errors.Add("searchDomain", $"Search domain '{zone.SearchDomain}' is not a DNS domain name; expected e.g. 'infra.example.local'.");
        return errors;
    }

    private static void CheckName(FieldErrors errors, string? name, List<ZoneDto> others)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
            errors.Add("name", "Zone name is required, e.g. LAN_INFRA, LAN_APPS or DMZ.");
        else if (!NamePattern().IsMatch(name))
            errors.Add("name", $"Zone name '{name}' is not valid; expected 2 to 32 capital letters, digits or '_', starting with a letter (e.g. LAN_INFRA).");
        else if (others.Any(o => string.Equals(o.Name?.Trim(), name, StringComparison.OrdinalIgnoreCase)))
            errors.Add("name", $"Zone name '{name}' is already used; each zone needs its own name.");
    }

    private static void CheckVlan(FieldErrors errors, int vlan, List<ZoneDto> others)
    {
        if (vlan is < 1 or > 4094)
            errors.Add("vlanId", $"VLAN {vlan} is out of range; expected a VLAN ID from 1 to 4094.");
        else if (others.FirstOrDefault(o => o.VlanId == vlan) is { } clash)
            errors.Add("vlanId", $"VLAN {vlan} is already used by zone {clash.Name}; each zone needs its own VLAN.");
    }

    private static Ipv4Network? CheckSubnet(FieldErrors errors, string? text, List<ZoneDto> others)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add("subnet", "Subnet is required, in CIDR form (e.g. 10.1.100.0/24).");
            return null;
        }
        if (!Ipv4Network.TryParse(text, out var subnet, out var problem))
        {
            errors.Add("subnet", $"Subnet '{text.Trim()}' {problem}.");
            return null;
        }
        foreach (var other in others)
            if (Ipv4Network.TryParse(other.Subnet, out var theirs, out _) && subnet.Overlaps(theirs))
                errors.Add("subnet", $"Subnet {subnet} overlaps zone {other.Name} ({theirs}); zone subnets must not overlap.");
        return subnet;
    }

    private static void CheckGateway(FieldErrors errors, string? text, Ipv4Network subnet)
    {
        if (string.IsNullOrWhiteSpace(text))
            errors.Add("gateway", $"Gateway is required: an address inside {subnet}.");
        else if (!Ipv4.TryParse(text, out var gateway))
            errors.Add("gateway", $"Gateway '{text.Trim()}' is not an IPv4 address; expected e.g. {Ipv4.Format(subnet.Network + 1)}.");
        else if (!subnet.Contains(gateway))
            errors.Add("gateway", $"Gateway {text.Trim()} is outside subnet {subnet}.");
        else if (!subnet.IsHostAddress(gateway))
            errors.Add("gateway", $"Gateway {text.Trim()} is the {(gateway == subnet.Network ? "network" : "broadcast")} address of {subnet}; expected a host address.");
    }

    private static void CheckRange(FieldErrors errors, ZoneDto zone, Ipv4Network subnet)
    {
        var start = RangeAddress(errors, "rangeStart", "Range start", zone.RangeStart, subnet);
        var end = RangeAddress(errors, "rangeEnd", "Range end", zone.RangeEnd, subnet);
        if (start is null || end is null)
            return;
        if (start > end)
        {
            errors.Add("rangeEnd", $"Range end {zone.RangeEnd!.Trim()} comes before range start {zone.RangeStart!.Trim()}.");
            return;
        }
        if (Ipv4.TryParse(zone.Gateway, out var gateway) && gateway >= start && gateway <= end)
            errors.Add("rangeStart", $"The reserved range {zone.RangeStart!.Trim()}–{zone.RangeEnd!.Trim()} contains the gateway {zone.Gateway!.Trim()}; leave the gateway out of the range.");
        foreach (var excluded in zone.ExcludedAddresses ?? [])
            if (!Ipv4.TryParse(excluded, out var address) || address < start || address > end)
                errors.Add("excludedAddresses", $"Excluded address '{excluded.Trim()}' is not an IPv4 address inside the reserved range {zone.RangeStart!.Trim()}–{zone.RangeEnd!.Trim()}.");
    }

    private static uint? RangeAddress(FieldErrors errors, string field, string label, string? text, Ipv4Network subnet)
    {
        if (string.IsNullOrWhiteSpace(text))
            errors.Add(field, $"{label} is required: the reserved VM range must lie inside {subnet}.");
        else if (!Ipv4.TryParse(text, out var address))
            errors.Add(field, $"{label} '{text.Trim()}' is not an IPv4 address.");
        else if (!subnet.IsHostAddress(address))
            errors.Add(field, $"{label} {text.Trim()} is not a host address of subnet {subnet}.");
        else
            return address;
        return null;
    }

    private static void CheckAddressList(FieldErrors errors, string field, string label, List<string>? values, bool allowNames)
    {
        var entries = (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToList();
        if (entries.Count == 0)
            errors.Add(field, $"At least one {label} is required.");
        foreach (var entry in entries)
            if (!Ipv4.TryParse(entry, out _) && !(allowNames && NetworkRules.IsHostName(entry)))
                errors.Add(field, $"{label} '{entry}' is not {(allowNames ? "an IPv4 address or host name" : "an IPv4 address")}.");
    }

    private static string Known(IReadOnlyCollection<string> names) => names.Count == 0 ? "none yet: add one in the Hypervisors step" : string.Join(", ", names);

    [GeneratedRegex("^[A-Z][A-Z0-9_]{1,31}$")]
    private static partial Regex NamePattern();
}
