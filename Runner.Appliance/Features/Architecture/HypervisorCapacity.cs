using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Features.Architecture;

/// <summary>
/// What a hypervisor cluster offers, as the preflight inventory last saw it (the preflight hands its
/// reading to <see cref="HypervisorCapacityService"/>, which writes these rows). The recap compares the
/// architecture's needs with them; without a row, capacity is unknown.
/// </summary>
public sealed class ClusterCapacity
{
    public int Id { get; set; }

    public string Hypervisor { get; set; } = "";

    /// <summary>Cluster name; empty for a standalone ESXi host.</summary>
    public string Cluster { get; set; } = "";

    public int PhysicalCores { get; set; }

    public int RamGb { get; set; }

    public DateTimeOffset ObservedAt { get; set; }
}

/// <summary>Free space of a datastore (vSphere) or storage container (Nutanix), as last seen by the preflight.</summary>
public sealed class DatastoreCapacity
{
    public int Id { get; set; }

    public string Hypervisor { get; set; } = "";

    public string Datastore { get; set; } = "";

    public long FreeGb { get; set; }

    public DateTimeOffset ObservedAt { get; set; }
}

internal sealed class ClusterCapacityConfiguration : IEntityTypeConfiguration<ClusterCapacity>
{
    public void Configure(EntityTypeBuilder<ClusterCapacity> builder) =>
        builder.HasIndex(c => new { c.Hypervisor, c.Cluster }).IsUnique();
}

internal sealed class DatastoreCapacityConfiguration : IEntityTypeConfiguration<DatastoreCapacity>
{
    public void Configure(EntityTypeBuilder<DatastoreCapacity> builder) =>
        builder.HasIndex(d => new { d.Hypervisor, d.Datastore }).IsUnique();
}
