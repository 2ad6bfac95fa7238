using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Runner.Appliance.Features.Configuration.Collections;

namespace Runner.Appliance.Features.Architecture;

/// <summary>
/// One VM of the architecture. Its identity across regenerations is its group and index
/// (rke2-apps-agent #3); what an operator set by hand is listed in <see cref="EditedFields"/>
/// and survives a regeneration unless they ask for a reset.
/// </summary>
public sealed class VirtualMachine : IConfigEntity
{
    public int Id { get; set; }

    public string Group { get; set; } = "";

    /// <summary>1-based position inside the group, the {nn} of the host name pattern.</summary>
    public int Index { get; set; }

    public string Zone { get; set; } = "";

    public string HostName { get; set; } = "";

    public string IpAddress { get; set; } = "";

    public int Vcpu { get; set; }

    public int RamGb { get; set; }

    public List<int> DisksGb { get; set; } = [];

    /// <summary>Placement: hypervisor alias, then cluster, datastore (or storage container) and network (or subnet).</summary>
    public string Hypervisor { get; set; } = "";

    public string? Cluster { get; set; }

    public string? Datastore { get; set; }

    public string? Network { get; set; }

    /// <summary>Which of <see cref="VmEdits"/> the operator changed by hand.</summary>
    public List<string> EditedFields { get; set; } = [];

    public int Version { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public int DiskTotalGb => DisksGb.Sum();

    public bool IsEdited(string field) => EditedFields.Contains(field);
}

/// <summary>The parts of a VM an operator can set by hand; each survives regeneration on its own.</summary>
public static class VmEdits
{
    public const string Size = "size";
    public const string IpAddress = "ipAddress";
    public const string HostName = "hostName";
    public const string Placement = "placement";
}

internal sealed class VirtualMachineConfiguration : IEntityTypeConfiguration<VirtualMachine>
{
    public void Configure(EntityTypeBuilder<VirtualMachine> builder)
    {
        builder.HasIndex(v => new { v.Group, v.Index }).IsUnique();
        builder.HasIndex(v => v.HostName).IsUnique();
        builder.HasIndex(v => v.IpAddress).IsUnique();
        builder.Property(v => v.Group).HasMaxLength(63);
        builder.Property(v => v.Zone).HasMaxLength(32);
        builder.Property(v => v.HostName).HasMaxLength(63);
        builder.Property(v => v.IpAddress).HasMaxLength(15);
        builder.Property(v => v.Version).IsConcurrencyToken();
        builder.Ignore(v => v.DiskTotalGb);
    }
}
