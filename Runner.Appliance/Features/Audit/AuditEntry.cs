using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Features.Audit;

/// <summary>Who changed what and when. Field names only: values (and so secrets) are never recorded.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public string Actor { get; set; } = "";

    /// <summary>The kind of item, e.g. "zone", "hypervisor", "user".</summary>
    public string Subject { get; set; } = "";

    /// <summary>The item's name, e.g. "LAN_INFRA".</summary>
    public string Item { get; set; } = "";

    public string Action { get; set; } = "";

    public List<string> Fields { get; set; } = [];
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder) => builder.HasIndex(e => e.At);
}
