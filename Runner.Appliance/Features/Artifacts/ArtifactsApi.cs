using System.Security.Claims;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Artifacts;

internal static class ArtifactsApi
{
    public static void MapArtifactsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/artifacts").WithTags("Artifacts");
        group.MapGet("", (ArtifactsService artifacts, CancellationToken ct) => artifacts.OverviewAsync(ct))
            .RequireAuthorization(Policies.View)
            .WithSummary("Every artifact of the lock file: kind, version, size, status (Present, Missing, Corrupt, NotNeeded: missing and no role of the plan needs it), the roles that need it, whether the plan does, and why it is not present; `problems` says what keeps the list from being whole.");
        group.MapPost("/import", async (ImportRequest request, ArtifactsService artifacts, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var (outcome, id) = await artifacts.ImportAsync(request, user.ActorName(), ct);
                return outcome.ToHttpResult(() => TypedResults.Accepted($"/api/v1/artifacts/imports/{id}", new { id }));
            })
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Import the artifact tree at {\"path\"} on the appliance (Admin): 202 with the import's id, which runs in the background (GET …/imports/{id}). 400 naming a path that is not a directory or whose manifest is missing or damaged; 409 while another import or verification runs.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/imports/{id:int}", async (int id, ArtifactsService artifacts, CancellationToken ct) =>
                await artifacts.ImportViewAsync(id, ct) is { } view ? Results.Ok(view) : NotFound(id))
            .RequireAuthorization(Policies.View)
            .WithSummary("One import or verification: bytes and files done and total, rate and time left while it runs, its status, what it stored and every refusal by name.");
        group.MapPost("/imports/{id:int}/cancel", async (int id, ArtifactsService artifacts, ClaimsPrincipal user, CancellationToken ct) =>
                (await artifacts.CancelAsync(id, user.ActorName(), ct)).ToHttpResult(() => TypedResults.Accepted($"/api/v1/artifacts/imports/{id}")))
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Cancel the import or verification under way (Admin). Artifacts stored before stay; files verified of the others are kept for the next import.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/verify", async (ArtifactsService artifacts, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var (outcome, id) = await artifacts.VerifyAllAsync(user.ActorName(), ct);
                return outcome.ToHttpResult(() => TypedResults.Accepted($"/api/v1/artifacts/imports/{id}", new { id }));
            })
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Hash every file of the store again (Admin), in the background, followed like an import (GET …/imports/{id}). Otherwise a file is hashed again only when its size or write time changed.")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IResult NotFound(int id) => Results.Problem($"There is no import {id}.", statusCode: 404, title: "Not found");
}
