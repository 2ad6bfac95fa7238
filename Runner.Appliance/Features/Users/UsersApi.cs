using System.Security.Claims;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Users;

internal static class UsersApi
{
    public static void MapUsersApi(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").RequireAuthorization(Policies.Admin);
        users.MapGet("", (UserService service, CancellationToken ct) => service.ListAsync(ct))
            .WithSummary("List accounts (Admin).");
        users.MapPost("", async (CreateUserRequest request, UserService service, ClaimsPrincipal user, CancellationToken ct) =>
                (await service.CreateAsync(request, user.ActorName(), ct)).ToHttpResult(() => TypedResults.Created($"/api/v1/users/{request.Username}")))
            .WithSummary("Create an account (Admin).").ProducesValidationProblem();
        users.MapPut("/{username}/role", async (string username, ChangeRoleRequest request, UserService service, ClaimsPrincipal user, CancellationToken ct) =>
                (await service.ChangeRoleAsync(username, request.Role, user.ActorName(), ct)).ToHttpResult(TypedResults.NoContent))
            .WithSummary("Change an account's role (Admin).").ProducesValidationProblem();
        users.MapPost("/{username}/deactivate", async (string username, UserService service, ClaimsPrincipal user, CancellationToken ct) =>
                (await service.SetActiveAsync(username, false, user.ActorName(), ct)).ToHttpResult(TypedResults.NoContent))
            .WithSummary("Deactivate an account: its sessions and tokens end at once (Admin).");
        users.MapPost("/{username}/activate", async (string username, UserService service, ClaimsPrincipal user, CancellationToken ct) =>
                (await service.SetActiveAsync(username, true, user.ActorName(), ct)).ToHttpResult(TypedResults.NoContent))
            .WithSummary("Reactivate an account (Admin).");
        users.MapPost("/{username}/password", async (string username, ResetPasswordRequest request, UserService service, ClaimsPrincipal user, CancellationToken ct) =>
                (await service.ResetPasswordAsync(username, request.Password, user.ActorName(), ct)).ToHttpResult(TypedResults.NoContent))
            .WithSummary("Reset an account's password and lift its lockout (Admin).").ProducesValidationProblem();
    }
}
