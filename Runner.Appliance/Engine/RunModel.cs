using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Runner.Appliance.Engine;

public enum RunStatus { Queued, Running, Successful, Failed, Cancelled, Interrupted }

public enum RoleStatus { Pending, Running, Successful, Failed, Cancelled, Skipped }

/// <summary>One execution of a plan (or of selected roles), with who started it and the configuration it used.</summary>
public sealed class DeploymentRun
{
    public int Id { get; set; }

    public RunStatus Status { get; set; }

    public bool Check { get; set; }

    public string StartedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Why the run ended the way it did, in words (failed role, cancelled by, interrupted).</summary>
    public string? Message { get; set; }

    /// <summary>The configuration as an answer file without secrets, as its latest pass used it: the as-built record.</summary>
    public string ConfigurationSnapshot { get; set; } = "";

    public List<RoleRun> Roles { get; set; } = [];

    /// <summary>Every start, resume and retry of the run, each with who did it and what the gate said.</summary>
    public List<RunStart> Starts { get; set; } = [];

    /// <summary>What the preflight gate said when the run was first started ("Preflight 12 passed.", or why it was closed).</summary>
    public string? Preflight { get; set; }

    /// <summary>The reason an Admin gave at the first start while the preflight gate was closed; each later start has its own (<see cref="Starts"/>).</summary>
    public string? GateOverride { get; set; }

    /// <summary>When the retention setting removed this run's events (its results stay).</summary>
    public DateTimeOffset? EventsPurgedAt { get; set; }

    public bool IsActive => Status is RunStatus.Queued or RunStatus.Running;
}

/// <summary>One role inside a run: one ansible-playbook invocation per attempt.</summary>
public sealed class RoleRun
{
    public int Id { get; set; }

    public int RunId { get; set; }

    public int Order { get; set; }

    public string Role { get; set; } = "";

    public RoleStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int? ExitCode { get; set; }

    public string? Message { get; set; }

    /// <summary>The process group of the running ansible-playbook, so that a restarted appliance can stop it.</summary>
    public int? ProcessGroup { get; set; }

    /// <summary>The vars the role received, secrets masked: what an operator needs to see what it was given.</summary>
    public string? VarsJson { get; set; }

    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}

/// <summary>One structured callback record (or one stderr line) of a role run, secrets masked.</summary>
public sealed class RunEvent
{
    public long Id { get; set; }

    public int RunId { get; set; }

    public int RoleRunId { get; set; }

    public int Attempt { get; set; }

    public int Seq { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Callback event name (runner_on_ok, …), or "stderr" / "stdout" for a raw line.</summary>
    public string Type { get; set; } = "";

    public string? Host { get; set; }

    public string? Task { get; set; }

    /// <summary>ok, changed, failed, unreachable, skipped, started, …</summary>
    public string? Status { get; set; }

    /// <summary>One line a person reads in the log.</summary>
    public string Text { get; set; } = "";

    /// <summary>The whole masked record, for "full output" and the JSON-lines download.</summary>
    public string Json { get; set; } = "";
}

internal sealed class DeploymentRunConfiguration : IEntityTypeConfiguration<DeploymentRun>
{
    public void Configure(EntityTypeBuilder<DeploymentRun> builder)
    {
        builder.HasMany(r => r.Roles).WithOne().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(r => r.IsActive);
    }
}

internal sealed class RoleRunConfiguration : IEntityTypeConfiguration<RoleRun>
{
    public void Configure(EntityTypeBuilder<RoleRun> builder)
    {
        builder.HasIndex(r => new { r.RunId, r.Order }).IsUnique();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(r => r.Duration);
    }
}

internal sealed class RunEventConfiguration : IEntityTypeConfiguration<RunEvent>
{
    public void Configure(EntityTypeBuilder<RunEvent> builder)
    {
        builder.HasIndex(e => new { e.RunId, e.Id });
        builder.HasIndex(e => new { e.RoleRunId, e.Id });
        builder.HasOne<DeploymentRun>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
