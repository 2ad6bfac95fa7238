using System.Security.Claims;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Zones;

internal static class ZonesApi
{
    public static void MapZonesApi(this IEndpointRouteBuilder api)
    {
        var zones = api.MapGroup("/zones").WithTags("Zones");
        zones.MapGet("", (ZoneService service, CancellationToken ct) => service.ListAsync(ct))
            .RequireAuthorization(Policies.View).WithSummary("List the network zones.");
        zones.MapGet("/{id:int}", async (int id, ZoneService service, CancellationToken ct) =>
                await service.GetAsync(id, ct) is { } zone ? Results.Ok(zone)
                    : Results.Problem($"There is no zone with id {id}.", statusCode: StatusCodes.Status404NotFound))
            .RequireAuthorization(Policies.View).WithSummary("One network zone.");
        zones.MapPost("", async (ZoneDto input, ZoneService service, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var (outcome, id) = await service.CreateAsync(input, Actor(user), ct);
                return outcome.ToHttpResult(() => TypedResults.Created($"/api/v1/zones/{id}", new { id }));
            })
            .RequireAuthorization(Policies.Operate).WithSummary("Create a zone (Operator).").ProducesValidationProblem();
        zones.MapPut("/{id:int}", async (int id, ZoneDto input, ZoneService service, ClaimsPrincipal user, CancellationToken ct) =>
                (await service.UpdateAsync(id, input, Actor(user), ct)).ToHttpResult(TypedResults.NoContent))
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Update a zone (Operator). Send the version you read; a stale version gives 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        zones.MapDelete("/{id:int}", async (int id, ZoneService service, CancellationToken ct) =>
                (await service.DeleteAsync(id, ct)).ToHttpResult(TypedResults.NoContent))
            .RequireAuthorization(Policies.Operate).WithSummary("Delete a zone (Operator).");
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "api";
}
