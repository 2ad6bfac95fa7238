using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Operations;

/// <summary>Healthy when the SQLite store answers a query.</summary>
internal sealed class StoreHealthCheck(IDbContextFactory<ApplianceDb> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var users = await db.Users.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy("The store answers.", new Dictionary<string, object> { ["users"] = users });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store does not answer: " + ex.Message);
        }
    }
}
