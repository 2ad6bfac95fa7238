using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Audit;

internal static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder api) =>
        api.MapGet("/audit", (AuditLog audit, CancellationToken ct, int count = 200) => audit.LatestAsync(Math.Clamp(count, 1, 1000), ct))
            .RequireAuthorization(Policies.Admin)
            .WithTags("Audit")
            .WithSummary("The latest changes: who, when, what and which fields (never values). Admin only.");
}
