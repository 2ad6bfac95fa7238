using System.Security.Claims;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Configuration;

internal static class ConfigurationApi
{
    public static void MapConfigurationApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/configuration", (ConfigurationService service, CancellationToken ct) => service.GetGeneralAsync(ct))
            .RequireAuthorization(Policies.View)
            .WithSummary("The deployment's general settings: products, users, prefix, domain.");
        api.MapPut("/configuration", async (GeneralSettingsDto input, ConfigurationService service, ClaimsPrincipal user, CancellationToken ct) =>
                (await service.SaveGeneralAsync(input, user.ActorName(), ct)).ToHttpResult(TypedResults.NoContent))
            .RequireAuthorization(Policies.Operate)
            .WithSummary("Save the general settings (Operator). Send the version you read; a stale version gives 409.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }
}
