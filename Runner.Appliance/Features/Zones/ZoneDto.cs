using Runner.Appliance.Validation;
using Runner.Appliance.Features.Configuration.Collections;

namespace Runner.Appliance.Features.Zones;

/// <summary>A zone as the wizard form and the API read and write it.</summary>
public sealed class ZoneDto : IConfigDto
{
    public int Id { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public int VlanId { get; set; }

    public string? Subnet { get; set; }

    public string? Gateway { get; set; }

    public List<string>? DnsServers { get; set; } = [];

    public List<string>? NtpServers { get; set; } = [];

    public string? SearchDomain { get; set; }

    public string? RangeStart { get; set; }

    public string? RangeEnd { get; set; }

    public List<string>? ExcludedAddresses { get; set; } = [];

    public string? Hypervisor { get; set; }

    public string? Cluster { get; set; }

    public string? Datastore { get; set; }

    public string? Network { get; set; }

    /// <summary>The version this edit is based on (0 when creating).</summary>
    public int Version { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public static ZoneDto From(Zone zone) => new()
    {
        Id = zone.Id,
        Name = zone.Name,
        Description = zone.Description,
        VlanId = zone.VlanId,
        Subnet = zone.Subnet,
        Gateway = zone.Gateway,
        DnsServers = [.. zone.DnsServers],
        NtpServers = [.. zone.NtpServers],
        SearchDomain = zone.SearchDomain,
        RangeStart = zone.RangeStart,
        RangeEnd = zone.RangeEnd,
        ExcludedAddresses = [.. zone.ExcludedAddresses],
        Hypervisor = zone.Hypervisor,
        Cluster = zone.Cluster,
        Datastore = zone.Datastore,
        Network = zone.Network,
        Version = zone.Version,
        UpdatedBy = zone.UpdatedBy,
        UpdatedAt = zone.UpdatedAt,
    };

    /// <summary>A private copy, so that edits in a form do not leak into a list before they are saved.</summary>
    public ZoneDto Copy()
    {
        var copy = (ZoneDto)MemberwiseClone();
        copy.DnsServers = [.. DnsServers ?? []];
        copy.NtpServers = [.. NtpServers ?? []];
        copy.ExcludedAddresses = [.. ExcludedAddresses ?? []];
        return copy;
    }

    /// <summary>Copies the editable fields, trimmed, onto the entity.</summary>
    public void ApplyTo(Zone zone)
    {
        zone.Name = Name!.Trim();
        zone.Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        zone.VlanId = VlanId;
        zone.Subnet = Subnet!.Trim();
        zone.Gateway = Gateway!.Trim();
        zone.DnsServers = Clean(DnsServers);
        zone.NtpServers = Clean(NtpServers);
        zone.SearchDomain = string.IsNullOrWhiteSpace(SearchDomain) ? null : SearchDomain.Trim().TrimEnd('.').ToLowerInvariant();
        zone.RangeStart = RangeStart!.Trim();
        zone.RangeEnd = RangeEnd!.Trim();
        zone.ExcludedAddresses = Clean(ExcludedAddresses);
        zone.Hypervisor = Hypervisor!.Trim();
        zone.Cluster = Cluster.TrimmedOrNull();
        zone.Datastore = Datastore.TrimmedOrNull();
        zone.Network = Network.TrimmedOrNull();
    }


    private static List<string> Clean(List<string>? values) =>
        [.. (values ?? []).Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
}
