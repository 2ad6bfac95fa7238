using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Features.Configuration;

/// <summary>The deployment's first wizard step: what is deployed, for how many users, under which names.</summary>
public sealed class GeneralSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public string EnvironmentPrefix { get; set; } = "";

    public string BaseDomain { get; set; } = "";

    public int ConcurrentUsers { get; set; }

    public List<string> Products { get; set; } = [];

    /// <summary>Optimistic concurrency: a save must name the version it was based on.</summary>
    public int Version { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

internal sealed class GeneralSettingsConfiguration : IEntityTypeConfiguration<GeneralSettings>
{
    public void Configure(EntityTypeBuilder<GeneralSettings> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.EnvironmentPrefix).HasMaxLength(32);
        builder.Property(s => s.BaseDomain).HasMaxLength(253);
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}
