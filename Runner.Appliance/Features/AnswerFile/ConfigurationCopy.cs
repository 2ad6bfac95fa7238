using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Features.AnswerFile;

/// <summary>
/// The configuration as it was before an import replaced it: the answer-file document (no secret)
/// and its secrets sealed by the secret protector, so that it can be restored as it was.
/// </summary>
public sealed class ConfigurationCopy
{
    public int Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    /// <summary>Why the copy was taken, e.g. "before the import of an answer file".</summary>
    public string Reason { get; set; } = "";

    /// <summary>What it holds, in words ("2 hypervisors, 3 zones, 18 VMs").</summary>
    public string Summary { get; set; } = "";

    public string DocumentJson { get; set; } = "";

    /// <summary>The secrets of the document (path → value), one protected JSON map; null when it had none.</summary>
    public string? SecretsCiphertext { get; set; }
}

internal sealed class ConfigurationCopyConfiguration : IEntityTypeConfiguration<ConfigurationCopy>
{
    public void Configure(EntityTypeBuilder<ConfigurationCopy> builder)
    {
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
        builder.Property(c => c.Reason).HasMaxLength(256);
        builder.Property(c => c.Summary).HasMaxLength(512);
        builder.HasIndex(c => c.CreatedAt);
    }
}

/// <summary>A copy as the API and the page list it.</summary>
public sealed record ConfigurationCopyView(int Id, DateTimeOffset CreatedAt, string CreatedBy, string Reason, string Summary);
