using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Runner.Appliance.Features.Configuration.Collections;

namespace Runner.Appliance.Features.Zones;

/// <summary>A network zone (LAN_INFRA, LAN_APPS, DMZ, …): where a group of VMs lives and how they reach the network.</summary>
public sealed class Zone : IConfigEntity
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public int VlanId { get; set; }

    /// <summary>IPv4 network in CIDR form, e.g. 10.1.100.0/24.</summary>
    public string Subnet { get; set; } = "";

    public string Gateway { get; set; } = "";

    public List<string> DnsServers { get; set; } = [];

    public List<string> NtpServers { get; set; } = [];

    public string? SearchDomain { get; set; }

    /// <summary>First and last address of the range reserved for the deployment's VMs.</summary>
    public string RangeStart { get; set; } = "";

    public string RangeEnd { get; set; } = "";

    /// <summary>Addresses inside the range that are already taken and must not be allocated.</summary>
    public List<string> ExcludedAddresses { get; set; } = [];

    /// <summary>Alias of the hypervisor the zone's VMs are created on.</summary>
    public string Hypervisor { get; set; } = "";

    /// <summary>Placement overrides inside that hypervisor; empty means the hypervisor's own default.</summary>
    public string? Cluster { get; set; }

    public string? Datastore { get; set; }

    /// <summary>Port group (vSphere) or subnet (Nutanix) carrying the zone's VLAN.</summary>
    public string? Network { get; set; }

    public int Version { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

internal sealed class ZoneConfiguration : IEntityTypeConfiguration<Zone>
{
    public void Configure(EntityTypeBuilder<Zone> builder)
    {
        builder.HasIndex(z => z.Name).IsUnique();
        builder.Property(z => z.Name).HasMaxLength(32);
        builder.Property(z => z.Subnet).HasMaxLength(18);
        builder.Property(z => z.Version).IsConcurrencyToken();
    }
}
