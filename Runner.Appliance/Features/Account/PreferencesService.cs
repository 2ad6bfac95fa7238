using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Account;

/// <summary>Per-user display preferences (dark mode), kept with the account so they follow the user.</summary>
public sealed class PreferencesService(IDbContextFactory<ApplianceDb> dbFactory)
{
    public async Task<bool> PrefersDarkModeAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var id = user.FindFirstValue("sub");
        if (id is null)
            return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.Where(u => u.Id == id).Select(u => u.PrefersDarkMode).SingleOrDefaultAsync(ct);
    }

    public async Task SetDarkModeAsync(ClaimsPrincipal user, bool dark, CancellationToken ct = default)
    {
        var id = user.FindFirstValue("sub");
        if (id is null)
            return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PrefersDarkMode, dark), ct);
    }
}
