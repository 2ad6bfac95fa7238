using System.Security.Claims;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Credentials;

internal static class CredentialsApi
{
    public static void MapCredentialsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/credentials").WithTags("Credentials").RequireAuthorization(Policies.Admin);
        group.MapGet("", (CredentialsService credentials, CancellationToken ct) => credentials.ListAsync(ct))
            .WithSummary("The secrets the appliance generated for the roles and the outputs roles published, by name (Admin). A secret output's value is never listed.");
        group.MapPost("/reveal", async (RevealRequest request, CredentialsService credentials, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var (outcome, value) = await credentials.RevealAsync(request, user.ActorName(), ct);
                return outcome.ToHttpResult(() => TypedResults.Ok(value));
            })
            .WithSummary("One credential's value (Admin), with the caller's own password: {\"kind\": \"generated\"|\"output\", \"role\", \"name\", \"password\"}. Audited; a wrong password counts towards the account's lockout.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/handover", async (HandoverRequest request, CredentialsService credentials, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var (outcome, file) = await credentials.HandoverAsync(request, user.ActorName(), ct);
                return outcome.ToHttpResult(() => TypedResults.File(System.Text.Encoding.UTF8.GetBytes(file!.Text), "text/markdown; charset=utf-8", file.FileName));
            })
            .WithSummary("The operator hand-over (Admin, with the caller's own password): every published output and generated secret with its value, as Markdown. Audited.")
            .ProducesValidationProblem();
    }
}
