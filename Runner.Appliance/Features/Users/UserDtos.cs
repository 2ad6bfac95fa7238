namespace Runner.Appliance.Features.Users;

public sealed record UserSummary(string Id, string Username, string Role, bool IsActive, bool IsLockedOut,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt);

public sealed record CreateUserRequest(string? Username, string? Password, string? Role);

public sealed record ChangeRoleRequest(string? Role);

public sealed record ResetPasswordRequest(string? Password);
