using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Features.Preflight;

/// <summary>One preflight: every check ("all"), one item's checks ("hypervisors:3") or chosen checks, and what each found.</summary>
public sealed class PreflightRun
{
    public int Id { get; set; }

    /// <summary>"all" for a full preflight (the only kind the gate reads), else the owner or "checks".</summary>
    public string Scope { get; set; } = "";

    public string StartedBy { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public long DurationMs { get; set; }

    /// <summary>The configuration fingerprint the checks ran against (see <see cref="PreflightInputsBuilder.Fingerprint"/>).</summary>
    public string Fingerprint { get; set; } = "";

    public List<PreflightResult> Results { get; set; } = [];
}

/// <summary>What one check found in one preflight.</summary>
public sealed class PreflightResult
{
    public int Id { get; set; }
    public int RunId { get; set; }
    public int Order { get; set; }
    public string CheckId { get; set; } = "";
    public string Category { get; set; } = "";
    public string Title { get; set; } = "";
    public CheckSeverity Severity { get; set; }
    public CheckStatus Status { get; set; }
    public string Message { get; set; } = "";
    public string? Detail { get; set; }
    public string? Area { get; set; }
    public string? Item { get; set; }
    public string? Field { get; set; }
    public string? Link { get; set; }
    public long DurationMs { get; set; }
}

internal sealed class PreflightRunConfiguration : IEntityTypeConfiguration<PreflightRun>
{
    public void Configure(EntityTypeBuilder<PreflightRun> builder)
    {
        builder.Property(r => r.Scope).HasMaxLength(64);
        builder.Property(r => r.Fingerprint).HasMaxLength(64);
        builder.HasIndex(r => new { r.Scope, r.FinishedAt });
        builder.HasMany(r => r.Results).WithOne().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PreflightResultConfiguration : IEntityTypeConfiguration<PreflightResult>
{
    public void Configure(EntityTypeBuilder<PreflightResult> builder)
    {
        builder.Property(r => r.Severity).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(r => new { r.RunId, r.Order });
        builder.HasIndex(r => r.CheckId);
    }
}
