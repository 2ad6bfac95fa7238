namespace Runner.Appliance.Features.Credentials;

/// <summary>A secret the catalog has the appliance generate: by name, never its value.</summary>
public sealed record GeneratedSecretView(string Name, string Role, string Description, bool Generated, DateTimeOffset? GeneratedAt);

/// <summary>A published output: its value only when the catalog declares it not secret.</summary>
public sealed record RoleOutputView(string Role, string Key, string Description, bool Secret, string? Value, int RunId, DateTimeOffset UpdatedAt);

public sealed record CredentialsView(IReadOnlyList<GeneratedSecretView> Generated, IReadOnlyList<RoleOutputView> Outputs);

/// <summary>Which credential to reveal: <c>generated</c> by <c>name</c>, or an <c>output</c> by <c>role</c> and <c>name</c>; with the admin's own password.</summary>
public sealed record RevealRequest(string? Kind, string? Role, string? Name, string? Password);

public sealed record HandoverRequest(string? Password);

public sealed record RevealedCredential(string Value);

/// <summary>The operator hand-over as a file.</summary>
public sealed record Handover(string FileName, string Text);
