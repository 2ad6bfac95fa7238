using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Engine;

public enum RunStartKind { Start, Resume, Retry }

/// <summary>
/// One time a run was set going (started, resumed, a role retried): who did it, what the preflight
/// gate said then, and the override reason if an Admin gave one for that start. An override is
/// never carried over to a later start.
/// </summary>
public sealed class RunStart
{
    public int Id { get; set; }

    public int RunId { get; set; }

    public RunStartKind Kind { get; set; }

    /// <summary>The roles this start set going, comma-separated.</summary>
    public string Roles { get; set; } = "";

    public string StartedBy { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>What the preflight gate said at this start.</summary>
    public string? Gate { get; set; }

    /// <summary>The reason an Admin gave to start although the gate was closed; null when it was open.</summary>
    public string? GateOverride { get; set; }
}

internal sealed class RunStartConfiguration : IEntityTypeConfiguration<RunStart>
{
    public void Configure(EntityTypeBuilder<RunStart> builder)
    {
        builder.HasOne<DeploymentRun>().WithMany(r => r.Starts).HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(8);
        builder.Property(s => s.StartedBy).HasMaxLength(256);
        builder.HasIndex(s => s.RunId);
    }
}
