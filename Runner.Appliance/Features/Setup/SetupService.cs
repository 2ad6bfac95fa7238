using Microsoft.AspNetCore.Identity;
using Runner.Appliance.Features.Users;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Setup;

public sealed record SetupRequest(string? Username, string? Password);

/// <summary>Creates the first administrator. There is no default account and no default password.</summary>
public sealed class SetupService(SetupState state, UserManager<ApplianceUser> users, ILogger<SetupService> logger)
{
    // Two browsers racing through the first-run page must not both create an administrator.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task<Outcome> CreateAdministratorAsync(SetupRequest request, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        AccountRules.CheckUsername(errors, request.Username);
        AccountRules.CheckPassword(errors, request.Password);
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);

        await Gate.WaitAsync(ct);
        try
        {
            if (!await state.IsRequiredAsync(ct))
                return Outcome.Conflict("The appliance is already set up; sign in with an existing account.");
            var admin = new ApplianceUser { UserName = request.Username };
            var created = await users.CreateAsync(admin, request.Password!);
            if (!created.Succeeded)
                return Outcome.Invalid(created.Errors.ToFieldErrors());
            await users.AddToRoleAsync(admin, Roles.Admin);
            state.MarkComplete();
            logger.LogInformation("First administrator {Username} created", admin.UserName);
            return Outcome.Ok;
        }
        finally
        {
            Gate.Release();
        }
    }
}
