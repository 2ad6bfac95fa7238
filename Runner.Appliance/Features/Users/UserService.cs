using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Users;

/// <summary>
/// Account administration. Every change that affects what a user may do renews the account's
/// security stamp (old cookies and tokens stop working) and signs its live circuits out.
/// Each call works in its own short scope: a circuit never holds an Identity DbContext.
/// </summary>
public sealed class UserService(IServiceScopeFactory scopes, AccountEvents events, AuditLog audit, TimeProvider clock, ILogger<UserService> logger)
{
    public Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken ct = default) => UseAsync(users => ListAsync(users, ct));

    public async Task<Outcome> CreateAsync(CreateUserRequest request, string actor, CancellationToken ct = default) =>
        await AuditedAsync(await UseAsync(users => CreateAsync(users, request)), actor, request.Username, "created", ["username", "role", "password"], ct);

    public async Task<Outcome> ChangeRoleAsync(string username, string? role, string actor, CancellationToken ct = default) =>
        await AuditedAsync(await UseAsync(users => ChangeRoleAsync(users, username, role)), actor, username, $"given role {role}", ["role"], ct);

    public async Task<Outcome> SetActiveAsync(string username, bool active, string actor, CancellationToken ct = default) =>
        await AuditedAsync(await UseAsync(users => SetActiveAsync(users, username, active)), actor, username, active ? "activated" : "deactivated", ["isActive"], ct);

    /// <summary>Sets a new password and lifts a lockout; the user's sessions end.</summary>
    public async Task<Outcome> ResetPasswordAsync(string username, string? password, string actor, CancellationToken ct = default) =>
        await AuditedAsync(await UseAsync(users => ResetPasswordAsync(users, username, password)), actor, username, "password reset", ["password"], ct);

    private async Task<Outcome> AuditedAsync(Outcome outcome, string actor, string? username, string action, IReadOnlyList<string> fields, CancellationToken ct)
    {
        if (outcome.Succeeded)
            await audit.RecordAsync(actor, "user", username ?? "", action, fields, ct);
        return outcome;
    }

    private async Task<T> UseAsync<T>(Func<UserManager<ApplianceUser>, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<UserManager<ApplianceUser>>());
    }

    private async Task<IReadOnlyList<UserSummary>> ListAsync(UserManager<ApplianceUser> users, CancellationToken ct)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        var result = new List<UserSummary>(all.Count);
        foreach (var user in all)
            result.Add(await SummarizeAsync(users, user));
        return result;
    }

    private async Task<Outcome> CreateAsync(UserManager<ApplianceUser> users, CreateUserRequest request)
    {
        var errors = new FieldErrors();
        AccountRules.CheckUsername(errors, request.Username);
        AccountRules.CheckPassword(errors, request.Password);
        AccountRules.CheckRole(errors, request.Role);
        if (errors.IsEmpty && await users.FindByNameAsync(request.Username!) is not null)
            errors.Add("username", $"User name '{request.Username}' is already taken; choose another.");
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);

        var user = new ApplianceUser { UserName = request.Username, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, request.Password!);
        if (!created.Succeeded)
            return Outcome.Invalid(created.Errors.ToFieldErrors());
        await users.AddToRoleAsync(user, request.Role!);
        logger.LogInformation("User {Username} created with role {Role}", user.UserName, request.Role);
        return Outcome.Ok;
    }

    private async Task<Outcome> ChangeRoleAsync(UserManager<ApplianceUser> users, string username, string? role)
    {
        var errors = new FieldErrors();
        AccountRules.CheckRole(errors, role);
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);
        var user = await users.FindByNameAsync(username);
        if (user is null)
            return UnknownUser(username);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(role!) && current.Count == 1)
            return Outcome.Ok;
        if (current.Contains(Roles.Admin) && role != Roles.Admin && await IsLastActiveAdminAsync(users, user))
            return Outcome.Invalid("role", $"'{username}' is the last active administrator; make another user Admin first.");
        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role!);
        await RevokeSessionsAsync(users, user);
        logger.LogInformation("User {Username} now has role {Role}", username, role);
        return Outcome.Ok;
    }

    private async Task<Outcome> SetActiveAsync(UserManager<ApplianceUser> users, string username, bool active)
    {
        var user = await users.FindByNameAsync(username);
        if (user is null)
            return UnknownUser(username);
        if (user.IsActive == active)
            return Outcome.Ok;
        if (!active && await users.IsInRoleAsync(user, Roles.Admin) && await IsLastActiveAdminAsync(users, user))
            return Outcome.Invalid("isActive", $"'{username}' is the last active administrator and cannot be deactivated.");
        user.IsActive = active;
        await users.UpdateAsync(user);
        await RevokeSessionsAsync(users, user);
        logger.LogInformation("User {Username} {State}", username, active ? "activated" : "deactivated");
        return Outcome.Ok;
    }

    private async Task<Outcome> ResetPasswordAsync(UserManager<ApplianceUser> users, string username, string? password)
    {
        var errors = new FieldErrors();
        AccountRules.CheckPassword(errors, password);
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);
        var user = await users.FindByNameAsync(username);
        if (user is null)
            return UnknownUser(username);
        var resetToken = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, resetToken, password!);
        if (!reset.Succeeded)
            return Outcome.Invalid(reset.Errors.ToFieldErrors());
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        events.UserChanged(user.Id);
        logger.LogInformation("Password of user {Username} reset", username);
        return Outcome.Ok;
    }

    private async Task RevokeSessionsAsync(UserManager<ApplianceUser> users, ApplianceUser user)
    {
        await users.UpdateSecurityStampAsync(user);
        events.UserChanged(user.Id);
    }

    private static async Task<bool> IsLastActiveAdminAsync(UserManager<ApplianceUser> users, ApplianceUser user)
    {
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        return !admins.Any(a => a.Id != user.Id && a.IsActive);
    }

    private async Task<UserSummary> SummarizeAsync(UserManager<ApplianceUser> users, ApplianceUser user)
    {
        var roles = await users.GetRolesAsync(user);
        var locked = user.LockoutEnd is { } end && end > clock.GetUtcNow();
        return new UserSummary(user.Id, user.UserName ?? "", roles.FirstOrDefault() ?? "", user.IsActive, locked, user.CreatedAt, user.LastSignInAt);
    }

    private static Outcome UnknownUser(string username) => Outcome.NotFound($"There is no user named '{username}'.");
}
