namespace Runner.Appliance.Features.Setup;

internal static class SetupApi
{
    public static void MapSetupApi(this IEndpointRouteBuilder api) =>
        api.MapPost("/setup", async (SetupRequest request, SetupService setup, CancellationToken ct) =>
                (await setup.CreateAdministratorAsync(request, ct)).ToHttpResult(() => TypedResults.Created("/api/v1/users/" + request.Username)))
            .AllowAnonymous()
            .WithSummary("Create the first administrator (only while no account exists).")
            .Produces(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
}
