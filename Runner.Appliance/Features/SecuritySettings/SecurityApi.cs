using System.Security.Claims;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.SecuritySettings;

internal static class SecurityApi
{
    public static void MapSecurityApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/security", (SecuritySettingsService service, CancellationToken ct) => service.GetAsync(ct))
            .RequireAuthorization(Policies.View).WithTags("Security")
            .WithSummary("Proxy, TLS certificate and deployment user. Keys and passphrases are never returned, only whether they are set.");
        api.MapPut("/security", async (SecuritySettingsDto input, SecuritySettingsService service, ClaimsPrincipal user, CancellationToken ct) =>
                (await service.SaveAsync(input, user.ActorName(), ct)).ToHttpResult(TypedResults.NoContent))
            .RequireAuthorization(Policies.Operate).WithTags("Security")
            .WithSummary("Save the security settings (Operator). Send the version you read; a stale version gives 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
    }
}
