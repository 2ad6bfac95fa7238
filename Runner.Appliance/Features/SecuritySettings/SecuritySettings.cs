using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Features.SecuritySettings;

public enum TlsMode { InternalCa, Upload }

/// <summary>The deployment's security step: proxy, TLS certificate, deployment user and its SSH key.</summary>
public sealed class SecuritySettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public bool ProxyEnabled { get; set; }
    public string? HttpProxy { get; set; }
    public string? HttpsProxy { get; set; }
    public List<string> NoProxy { get; set; } = [];
    /// <summary>The proxy login, for both proxies; never inside the URLs.</summary>
    public string? ProxyUsername { get; set; }
    public string? ProxyPasswordCiphertext { get; set; }

    public TlsMode TlsMode { get; set; }
    /// <summary>Leaf certificate then intermediates, PEM. Public: stored as is.</summary>
    public string? CertificatePem { get; set; }
    public string? PrivateKeyCiphertext { get; set; }

    /// <summary>PEM of the site's own CAs (issuers of the LDAP, SMTP, vCenter… certificates), trusted besides the system store.</summary>
    public string? TrustedCaPem { get; set; }

    public string DeploymentUser { get; set; } = "";
    public string? SshPrivateKeyCiphertext { get; set; }
    public string? SshPassphraseCiphertext { get; set; }
    /// <summary>Derived from the private key on save; what goes into the VMs' authorized_keys.</summary>
    public string? SshPublicKey { get; set; }

    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

internal sealed class SecuritySettingsConfiguration : IEntityTypeConfiguration<SecuritySettings>
{
    public void Configure(EntityTypeBuilder<SecuritySettings> builder)
    {
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.TlsMode).HasConversion<string>().HasMaxLength(12);
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}
