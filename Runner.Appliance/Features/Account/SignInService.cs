using Microsoft.AspNetCore.Identity;
using Runner.Appliance.Hosting;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Account;

public sealed record SignInAttempt(ApplianceUser? User, string? Error)
{
    public bool Succeeded => User is not null && Error is null;
}

/// <summary>
/// Password checks for the sign-in page (cookie) and the token API (bearer), with the same
/// lockout and the same messages a technician can act on.
/// </summary>
public sealed class SignInService(SignInManager<ApplianceUser> signIn, UserManager<ApplianceUser> users, TimeProvider clock)
{
    public const string WrongCredentials = "Wrong user name or password.";

    /// <summary>Checks the password and, when <paramref name="issueCookie"/>, signs the browser in.</summary>
    public async Task<SignInAttempt> SignInAsync(string? username, string? password, bool issueCookie, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
            return new(null, "Enter your user name and password.");
        var user = await users.FindByNameAsync(username);
        if (user is null)
            return new(null, WrongCredentials);

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
            return new(null, await LockedMessageAsync(user));
        if (result.IsNotAllowed)
            return new(null, "This account is deactivated. Ask an administrator to reactivate it.");
        if (!result.Succeeded)
            return new(null, WrongCredentials);

        user.LastSignInAt = clock.GetUtcNow();
        await users.UpdateAsync(user);
        if (issueCookie)
            await signIn.SignInAsync(user, isPersistent: false);
        return new(user, null);
    }

    private async Task<string> LockedMessageAsync(ApplianceUser user)
    {
        var until = await users.GetLockoutEndDateAsync(user);
        var when = until is null ? "later" : $"after {until.Value.UtcDateTime:HH:mm} UTC";
        return $"This account is locked after {SecurityServices.MaxFailedSignIns} failed sign-ins. " +
               $"Try again {when}, or ask an administrator to reset the password.";
    }
}
