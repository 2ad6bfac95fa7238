using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Features.Architecture;

/// <summary>When and from what the architecture was last generated.</summary>
public sealed class ArchitectureGeneration
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public string Tier { get; set; } = "";

    public int ConcurrentUsers { get; set; }

    public List<string> Products { get; set; } = [];

    public int SizingVersion { get; set; }

    public string GeneratedBy { get; set; } = "";

    public DateTimeOffset GeneratedAt { get; set; }
}

internal sealed class ArchitectureGenerationConfiguration : IEntityTypeConfiguration<ArchitectureGeneration>
{
    public void Configure(EntityTypeBuilder<ArchitectureGeneration> builder) =>
        builder.Property(g => g.Id).ValueGeneratedNever();
}
