using Microsoft.AspNetCore.Identity;

namespace Runner.Appliance.Security;

/// <summary>
/// Identity asks this before every sign-in (page or token): a deactivated account is refused
/// with <see cref="SignInResult.NotAllowed"/>.
/// </summary>
public sealed class ActiveUserConfirmation : IUserConfirmation<ApplianceUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<ApplianceUser> manager, ApplianceUser user) => Task.FromResult(user.IsActive);
}
