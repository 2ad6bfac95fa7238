using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Security;

namespace Runner.Appliance.Hosting;

public static class StoreMigration
{
    /// <summary>
    /// Before the appliance accepts requests: apply pending migrations, fix up data an earlier version
    /// stored unsafely, make sure the three roles exist, and load the token signing key (created on
    /// the very first start).
    /// </summary>
    public static async Task MigrateStoreAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<ApplianceDb>>();
        await using (var db = await factory.CreateDbContextAsync())
            await db.Database.MigrateAsync();
        await app.Services.GetRequiredService<LegacyProxyLogin>().MoveAsync();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
                if (!await roles.RoleExistsAsync(role))
                    await roles.CreateAsync(new IdentityRole(role));
        }
        await app.Services.GetRequiredService<TokenSigningKey>().LoadAsync();
    }
}
