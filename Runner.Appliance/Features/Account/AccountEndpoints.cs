using Microsoft.AspNetCore.Identity;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Account;

internal static class AccountEndpoints
{
    /// <summary>
    /// Sign-out. It takes no antiforgery token on purpose: the idle timer posts it when the
    /// session cookie may already have expired, and a token bound to a gone identity would turn
    /// the sign-out into an error page. The session cookie is SameSite=Strict, so another site
    /// cannot post here with it; the worst a forged post could do is sign a user out.
    /// </summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/account/logout", async (HttpContext context, SignInManager<ApplianceUser> signIn) =>
            {
                var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
                await signIn.SignOutAsync();
                return TypedResults.LocalRedirect(form?["reason"].ToString() == "idle" ? "~/account/login?reason=idle" : "~/account/login");
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
}
