using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Features.Wizard;

/// <summary>Where the wizard was left, so that it resumes there after a restart or in another browser.</summary>
public sealed class WizardProgress
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public string CurrentStep { get; set; } = "";

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

internal sealed class WizardProgressConfiguration : IEntityTypeConfiguration<WizardProgress>
{
    public void Configure(EntityTypeBuilder<WizardProgress> builder)
    {
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.CurrentStep).HasMaxLength(64);
    }
}
