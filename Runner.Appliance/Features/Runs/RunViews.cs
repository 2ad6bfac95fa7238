using Runner.Appliance.Engine;

namespace Runner.Appliance.Features.Runs;

/// <summary>One role of the plan as the page and the API show it.</summary>
/// <param name="Artifacts">What the role installs from the artifact store (names of ansible/artifacts.lock.yml).</param>
/// <param name="ArtifactBytes">Their total size in bytes.</param>
public sealed record PlanRole(string Phase, string Name, string Description, IReadOnlyList<string> Targets, bool Implemented, bool Hidden, int ExpectedSeconds,
    IReadOnlyList<string> Artifacts, long ArtifactBytes);

public sealed record RoleRunView(int Id, int Order, string Role, RoleStatus Status, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int? ExitCode, string? Message, int ExpectedSeconds);

public sealed record RunView(int Id, RunStatus Status, bool Check, string StartedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, string? Message,
    IReadOnlyList<RoleRunView> Roles, DateTimeOffset? EventsPurgedAt = null, string? Preflight = null, string? GateOverride = null,
    IReadOnlyList<RunStartView>? Starts = null);

/// <summary>A start as the API and the run page show it.</summary>
public sealed record RunStartView(RunStartKind Kind, string Roles, string StartedBy, DateTimeOffset StartedAt, string? Gate, string? GateOverride);
