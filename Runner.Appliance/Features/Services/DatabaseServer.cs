using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Services;

public enum DatabaseKind { PostgreSql, Informix }

/// <summary>An existing database server the platform uses (PostgreSQL, or Informix for legacy data).</summary>
public sealed class DatabaseServer : IConfigEntity
{
    public int Id { get; set; }
    public DatabaseKind Kind { get; set; }
    public string Alias { get; set; } = "";
    public string Host { get; set; } = "";
    public int Port { get; set; }
    public string DatabaseName { get; set; } = "";
    public string Username { get; set; } = "";
    public string? PasswordCiphertext { get; set; }
    /// <summary>Informix only: the INFORMIXSERVER name.</summary>
    public string? InformixServer { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed class DatabaseServerDto : IConfigDto
{
    public int Id { get; set; }
    public DatabaseKind Kind { get; set; }
    public string? Alias { get; set; }
    public string? Host { get; set; }
    /// <summary>Empty (null) means the default port of the kind or TLS mode; 0 is refused.</summary>
    public int? Port { get; set; }
    public string? DatabaseName { get; set; }
    public string? Username { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? Password { get; set; }

    public bool PasswordSet { get; set; }
    public string? InformixServer { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public static int DefaultPort(DatabaseKind kind) => kind == DatabaseKind.Informix ? 9088 : 5432;

    public DatabaseServerDto Copy() => (DatabaseServerDto)MemberwiseClone();
}

internal sealed class DatabaseServerConfiguration : IEntityTypeConfiguration<DatabaseServer>
{
    public void Configure(EntityTypeBuilder<DatabaseServer> builder)
    {
        builder.HasIndex(d => d.Alias).IsUnique();
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Version).IsConcurrencyToken();
    }
}
