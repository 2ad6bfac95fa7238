using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Services;

public enum SmtpTlsMode { None, StartTls, Tls }

/// <summary>A mail relay the platform sends notifications through.</summary>
public sealed class SmtpServer : IConfigEntity
{
    public int Id { get; set; }
    public string Alias { get; set; } = "";
    public string Host { get; set; } = "";
    public int Port { get; set; }
    public SmtpTlsMode TlsMode { get; set; }
    public string? Username { get; set; }
    public string? PasswordCiphertext { get; set; }
    public string FromAddress { get; set; } = "";
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed class SmtpServerDto : IConfigDto
{
    public int Id { get; set; }
    public string? Alias { get; set; }
    public string? Host { get; set; }
    /// <summary>0 means the default for the TLS mode (25, 587 with STARTTLS, 465 with TLS).</summary>
    /// <summary>Empty (null) means the default port of the kind or TLS mode; 0 is refused.</summary>
    public int? Port { get; set; }
    public SmtpTlsMode TlsMode { get; set; }
    /// <summary>Empty for a relay without authentication.</summary>
    public string? Username { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? Password { get; set; }

    public bool PasswordSet { get; set; }
    public string? FromAddress { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public static int DefaultPort(SmtpTlsMode mode) => mode switch { SmtpTlsMode.Tls => 465, SmtpTlsMode.StartTls => 587, _ => 25 };

    public SmtpServerDto Copy() => (SmtpServerDto)MemberwiseClone();
}

internal sealed class SmtpServerConfiguration : IEntityTypeConfiguration<SmtpServer>
{
    public void Configure(EntityTypeBuilder<SmtpServer> builder)
    {
        builder.HasIndex(s => s.Alias).IsUnique();
        builder.Property(s => s.TlsMode).HasConversion<string>().HasMaxLength(10);
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}
