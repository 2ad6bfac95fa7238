using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Services;

public enum MonitoringTool { Coroot, Prometheus, Zabbix, Other }

/// <summary>An existing monitoring system the platform reports to.</summary>
public sealed class MonitoringEndpoint : IConfigEntity
{
    public int Id { get; set; }
    public MonitoringTool Tool { get; set; }
    public string Alias { get; set; } = "";
    public string Endpoint { get; set; } = "";
    public string? Username { get; set; }
    public string? PasswordCiphertext { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed class MonitoringEndpointDto : IConfigDto
{
    public int Id { get; set; }
    public MonitoringTool Tool { get; set; }
    public string? Alias { get; set; }
    public string? Endpoint { get; set; }
    /// <summary>With the password: a Basic login. Empty with a password: the password is a bearer token. Both empty: no authentication.</summary>
    public string? Username { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? Password { get; set; }

    public bool PasswordSet { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public MonitoringEndpointDto Copy() => (MonitoringEndpointDto)MemberwiseClone();
}

internal sealed class MonitoringEndpointConfiguration : IEntityTypeConfiguration<MonitoringEndpoint>
{
    public void Configure(EntityTypeBuilder<MonitoringEndpoint> builder)
    {
        builder.HasIndex(m => m.Alias).IsUnique();
        builder.Property(m => m.Tool).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Version).IsConcurrencyToken();
    }
}
