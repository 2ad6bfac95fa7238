using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Services;

public enum LdapKind { OpenLdap, ActiveDirectory }

public enum LdapTlsMode { None, StartTls, Ldaps }

/// <summary>A directory the platform authenticates users against (Keycloak federation).</summary>
public sealed class LdapDirectory : IConfigEntity
{
    public int Id { get; set; }
    public LdapKind Kind { get; set; }
    public string Alias { get; set; } = "";
    public string Url { get; set; } = "";
    public int Port { get; set; }
    public LdapTlsMode TlsMode { get; set; }
    public string BindDn { get; set; } = "";
    public string? BindPasswordCiphertext { get; set; }
    public string BaseDn { get; set; } = "";
    public string UserFilter { get; set; } = "";
    public string? GroupFilter { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed class LdapDirectoryDto : IConfigDto
{
    public int Id { get; set; }
    public LdapKind Kind { get; set; }
    public string? Alias { get; set; }
    /// <summary>ldap://host or ldaps://host.</summary>
    public string? Url { get; set; }
    /// <summary>0 means the default (389, or 636 for LDAPS).</summary>
    /// <summary>Empty (null) means the default port of the kind or TLS mode; 0 is refused.</summary>
    public int? Port { get; set; }
    public LdapTlsMode TlsMode { get; set; }
    public string? BindDn { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? BindPassword { get; set; }

    public bool BindPasswordSet { get; set; }
    public string? BaseDn { get; set; }
    public string? UserFilter { get; set; }
    public string? GroupFilter { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public static int DefaultPort(LdapTlsMode mode) => mode == LdapTlsMode.Ldaps ? 636 : 389;

    public LdapDirectoryDto Copy() => (LdapDirectoryDto)MemberwiseClone();
}

internal sealed class LdapDirectoryConfiguration : IEntityTypeConfiguration<LdapDirectory>
{
    public void Configure(EntityTypeBuilder<LdapDirectory> builder)
    {
        builder.HasIndex(d => d.Alias).IsUnique();
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.TlsMode).HasConversion<string>().HasMaxLength(10);
        builder.Property(d => d.Version).IsConcurrencyToken();
    }
}
