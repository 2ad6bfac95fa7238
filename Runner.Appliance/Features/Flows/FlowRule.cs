using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Runner.Appliance.Features.Configuration.Collections;

namespace Runner.Appliance.Features.Flows;

public enum FlowProtocol { Tcp, Udp, Icmp }

/// <summary>
/// One line of the flow matrix: traffic the site's firewalls must let through. Endpoints are a
/// zone ("LAN_APPS") or a VM group inside a zone ("LAN_APPS:rke2-apps").
/// </summary>
public sealed class FlowRule : IConfigEntity
{
    public int Id { get; set; }
    public string Source { get; set; } = "";
    public string Destination { get; set; } = "";
    public FlowProtocol Protocol { get; set; }
    /// <summary>"443", "8000-8100" or "80,443"; empty for ICMP.</summary>
    public string? Ports { get; set; }
    public string? Description { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed class FlowRuleDto : IConfigDto
{
    public int Id { get; set; }
    public string? Source { get; set; }
    public string? Destination { get; set; }
    public FlowProtocol Protocol { get; set; }
    public string? Ports { get; set; }
    public string? Description { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public FlowRuleDto Copy() => (FlowRuleDto)MemberwiseClone();
}

internal sealed class FlowRuleConfiguration : IEntityTypeConfiguration<FlowRule>
{
    public void Configure(EntityTypeBuilder<FlowRule> builder)
    {
        builder.Property(f => f.Protocol).HasConversion<string>().HasMaxLength(8);
        builder.Property(f => f.Version).IsConcurrencyToken();
    }
}
