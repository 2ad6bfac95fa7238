using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Setup;

/// <summary>
/// Whether the appliance still needs its first administrator. Asked on every page request, so it
/// reads the store until the first account exists and then never again.
/// </summary>
public sealed class SetupState(IDbContextFactory<ApplianceDb> dbFactory)
{
    private volatile bool _complete;

    public async Task<bool> IsRequiredAsync(CancellationToken ct = default)
    {
        if (_complete)
            return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        _complete = await db.Users.AnyAsync(ct);
        return !_complete;
    }

    public void MarkComplete() => _complete = true;
}
