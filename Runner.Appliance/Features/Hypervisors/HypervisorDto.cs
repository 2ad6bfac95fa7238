using System.Text.Json.Serialization;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Hypervisors;

/// <summary>A hypervisor as forms and the API see it. The password is write-only: reads say only whether it is set.</summary>
public sealed class HypervisorDto : IConfigDto
{
    public int Id { get; set; }
    public HypervisorKind Kind { get; set; }
    public string? Alias { get; set; }
    public string? Host { get; set; }
    /// <summary>0 means the kind's default (443 for vSphere, 9440 for Prism).</summary>
    /// <summary>Empty (null) means the default port of the kind or TLS mode; 0 is refused.</summary>
    public int? Port { get; set; }
    public string? Username { get; set; }

    /// <summary>Write-only: omit to keep the stored password, send a new value to replace it, or clear it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? Password { get; set; }

    /// <summary>Read-only: whether a password is stored.</summary>
    public bool PasswordSet { get; set; }

    public CertificatePolicy CertificatePolicy { get; set; }
    public string? Thumbprint { get; set; }
    public string? Datacenter { get; set; }
    public string? Cluster { get; set; }
    public string? EsxiHost { get; set; }
    public string? Datastore { get; set; }
    public string? Network { get; set; }
    public string? ResourcePool { get; set; }
    public string? Folder { get; set; }
    public string? Template { get; set; }
    public string? StorageContainer { get; set; }
    public string? Subnet { get; set; }
    public string? Image { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public static int DefaultPort(HypervisorKind kind) => kind == HypervisorKind.Nutanix ? 9440 : 443;

    public HypervisorDto Copy() => (HypervisorDto)MemberwiseClone();
}
