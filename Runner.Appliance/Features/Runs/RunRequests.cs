using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Runs;

/// <summary>
/// Body of <c>POST /api/v1/runs</c>: selected roles (else the whole plan), check mode, and the reason an
/// Admin gives to start although the preflight gate is closed.
/// </summary>
public sealed record StartRunRequest(IReadOnlyList<string>? Roles = null, bool Check = false, [property: TextLimit(500)] string? OverrideReason = null);

/// <summary>Body of resume and retry: the reason an Admin gives to go on while the preflight gate is closed.</summary>
public sealed record RestartRunRequest([property: TextLimit(500)] string? OverrideReason = null);
