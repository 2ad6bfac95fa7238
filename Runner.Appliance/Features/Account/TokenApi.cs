using System.Security.Claims;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Account;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);

public sealed record CurrentUser(string Username, IReadOnlyList<string> Roles);

internal static class TokenApi
{
    public static void MapTokenApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/token", async (TokenRequest request, SignInService signIn, TokenService tokens, CancellationToken ct) =>
            {
                var attempt = await signIn.SignInAsync(request.Username, request.Password, issueCookie: false, ct);
                if (!attempt.Succeeded)
                    return Results.Problem(attempt.Error, statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in refused");
                var token = await tokens.IssueAsync(attempt.User!);
                return Results.Ok(new TokenResponse(token.Value, "bearer", (int)token.Lifetime.TotalSeconds));
            })
            .AllowAnonymous()
            .WithSummary("Exchange a user name and password for a bearer token (30 minutes).")
            .Produces<TokenResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/me", (ClaimsPrincipal user) =>
                new CurrentUser(user.Identity?.Name ?? "", [.. user.FindAll("role").Select(c => c.Value)]))
            .RequireAuthorization(Policies.View)
            .WithSummary("The caller's user name and roles.");
    }
}
