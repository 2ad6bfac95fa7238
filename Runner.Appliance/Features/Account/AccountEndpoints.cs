using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Account;

internal static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token (the [FromForm] field turns the check on).</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/account/logout", async (SignInManager<ApplianceUser> signIn, [FromForm] string? reason) =>
            {
                await signIn.SignOutAsync();
                return TypedResults.LocalRedirect(reason == "idle" ? "/account/login?reason=idle" : "/account/login");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
}
