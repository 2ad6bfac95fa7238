using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Services;

/// <summary>An HTTP SMS gateway the platform sends one-time codes and alerts through.</summary>
public sealed class SmsProvider : IConfigEntity
{
    public int Id { get; set; }
    public string Alias { get; set; } = "";
    public string Url { get; set; } = "";
    public string? Username { get; set; }
    public string? SecretCiphertext { get; set; }
    public string Sender { get; set; } = "";
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed class SmsProviderDto : IConfigDto
{
    public int Id { get; set; }
    public string? Alias { get; set; }
    public string? Url { get; set; }
    public string? Username { get; set; }

    /// <summary>Password or API key; write-only. With a user name a Basic login, without one a bearer token.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? Secret { get; set; }

    public bool SecretSet { get; set; }
    /// <summary>Sender shown on the phone: up to 11 letters or digits, or a number in E.164 form.</summary>
    public string? Sender { get; set; }
    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public SmsProviderDto Copy() => (SmsProviderDto)MemberwiseClone();
}

internal sealed class SmsProviderConfiguration : IEntityTypeConfiguration<SmsProvider>
{
    public void Configure(EntityTypeBuilder<SmsProvider> builder)
    {
        builder.HasIndex(s => s.Alias).IsUnique();
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}
