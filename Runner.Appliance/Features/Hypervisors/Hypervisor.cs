using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Runner.Appliance.Features.Configuration.Collections;

namespace Runner.Appliance.Features.Hypervisors;

public enum HypervisorKind { VCenter, Esxi, Nutanix }

/// <summary>How the appliance treats the hypervisor's TLS certificate.</summary>
public enum CertificatePolicy { Verify, TrustThumbprint, AcceptAny }

/// <summary>
/// A hypervisor the VMs are created on: a vCenter, a standalone ESXi host, or a Nutanix Prism
/// Central. The password is kept only as ciphertext.
/// </summary>
public sealed class Hypervisor : IConfigEntity
{
    public int Id { get; set; }

    public HypervisorKind Kind { get; set; }

    public string Alias { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; }

    public string Username { get; set; } = "";

    public string? PasswordCiphertext { get; set; }

    public CertificatePolicy CertificatePolicy { get; set; }

    public string? Thumbprint { get; set; }

    // vCenter / ESXi placement
    public string? Datacenter { get; set; }
    public string? Cluster { get; set; }
    public string? EsxiHost { get; set; }
    public string? Datastore { get; set; }
    public string? Network { get; set; }
    public string? ResourcePool { get; set; }
    public string? Folder { get; set; }
    public string? Template { get; set; }

    // Nutanix placement
    public string? StorageContainer { get; set; }
    public string? Subnet { get; set; }
    public string? Image { get; set; }

    public int Version { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

internal sealed class HypervisorConfiguration : IEntityTypeConfiguration<Hypervisor>
{
    public void Configure(EntityTypeBuilder<Hypervisor> builder)
    {
        builder.HasIndex(h => h.Alias).IsUnique();
        builder.Property(h => h.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(h => h.CertificatePolicy).HasConversion<string>().HasMaxLength(16);
        builder.Property(h => h.Version).IsConcurrencyToken();
    }
}
