using Microsoft.AspNetCore.Identity;

namespace Runner.Appliance.Security;

/// <summary>An appliance account. Deactivated accounts keep their history but cannot sign in.</summary>
public sealed class ApplianceUser : IdentityUser
{
    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? LastSignInAt { get; set; }

    public bool PrefersDarkMode { get; set; }
}
